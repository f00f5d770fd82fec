package dev.flowgraph.nodes.llm;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** llama.cpp's own log reaches SLF4J (logger {@code llama.cpp}) at its own levels, even its last words before an abort. */
class LlamaLogTest {

    @Test
    void linesGetTheLevelOfTheirPrefixAndContinuationsKeepIt() {
        Logger logger = (Logger) LoggerFactory.getLogger("llama.cpp.lines-test");
        logger.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> events = attach(logger);
        LlamaLogLines lines = new LlamaLogLines(logger);
        List.of("model loaded before the prefix was on",
                "I llama_model_loader: loaded meta data",
                "W load: bad special token",
                "    continued on a second line",
                "I ",
                "E failed to open",
                "D slot update",
                "I .....",
                "/build/ggml/src/ggml.c:2738: GGML_ASSERT(ggml_can_mul_mat(a, b)) failed",
                "  frame after the assert").forEach(lines);

        assertThat(events.list).extracting(e -> e.getLevel() + " " + e.getFormattedMessage()).containsExactly(
                "INFO model loaded before the prefix was on",
                "INFO llama_model_loader: loaded meta data",
                "WARN load: bad special token",
                "WARN     continued on a second line",
                "ERROR failed to open",
                "DEBUG slot update",
                "INFO .....",
                "ERROR /build/ggml/src/ggml.c:2738: GGML_ASSERT(ggml_can_mul_mat(a, b)) failed",
                "ERROR   frame after the assert");
    }

    @Test
    void loadingAndGeneratingWithTheRealModelLogsThroughSlf4j() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(LlamaNative.LOG.getName());
        Level before = logger.getLevel();
        logger.setLevel(Level.INFO);
        ListAppender<ILoggingEvent> events = attach(logger);
        try (LocalLlmHarness harness = new LocalLlmHarness(Map.of("maxTokens", 16))) {
            assertThat(harness.ask("Once upon a time,").text()).isNotBlank();

            // llama.cpp logs from a worker thread of its own: wait for the request's last line.
            List<ILoggingEvent> logged = awaitEvent(events,
                    message(m -> m.contains("release") && m.contains("stop processing"), Level.INFO));
            // llama.cpp reports the model's metadata as the file's own header counts it.
            TestModels.GgufHeader gguf = TestModels.ggufHeader(TestModels.stories());
            String loaded = "llama_model_loader: loaded meta data with " + gguf.metadataEntries() + " key-value pairs and "
                    + gguf.tensors() + " tensors";
            assertThat(logged)
                    .anyMatch(message(m -> m.startsWith(loaded), Level.INFO))
                    .anyMatch(message(m -> m.contains("special_eos_id is not in special_eog_ids"), Level.WARN))
                    .anyMatch(message(m -> m.contains("prompt done"), Level.INFO))
                    .allMatch(e -> e.getLoggerName().equals("llama.cpp"))
                    .noneMatch(e -> e.getFormattedMessage().matches("[IWED] .*")); // prefixes become levels
        } finally {
            logger.detachAppender(events);
            logger.setLevel(before);
        }
    }

    @Test
    void anAssertThatAbortsTheProcessIsLoggedFirstAndTheProcessEndsAtOnce() throws Exception {
        // A child JVM, as `flow serve` would be: llama.cpp's log caught, then a pooling that makes ggml abort.
        // No gdb on its PATH: ggml's backtrace would fork a child that never exits there (see NativeStderr).
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AbortingChild.class.getName(), TestModels.stories().toString());
        pb.environment().put("PATH", "/nonexistent");
        Process child = pb.start();
        child.getOutputStream().close();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the aborting child ended").isTrue();
        String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(child.exitValue()).as("SIGABRT").isEqualTo(134);
        assertThat(stderr.lines().filter(l -> l.contains("GGML_ASSERT")))
                .as(stderr)
                .singleElement().satisfies(line -> assertThat(line)
                        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR .* llama\\.cpp - \\S+ggml\\.c:\\d+: "
                                + "GGML_ASSERT\\(.*\\) failed"));
    }

    private static List<ILoggingEvent> awaitEvent(ListAppender<ILoggingEvent> events, Predicate<ILoggingEvent> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<ILoggingEvent> logged;
            synchronized (events) { // the appender appends under its own lock
                logged = List.copyOf(events.list);
            }
            if (logged.stream().anyMatch(wanted) || System.nanoTime() > deadline) {
                return logged;
            }
            Thread.sleep(20);
        }
    }

    private static ListAppender<ILoggingEvent> attach(Logger logger) {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        return events;
    }

    private static Predicate<ILoggingEvent> message(Predicate<String> text, Level level) {
        return e -> e.getLevel() == level && text.test(e.getFormattedMessage());
    }
}
