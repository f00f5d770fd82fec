package dev.flowgraph.cli;

import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flow run} as a process with the CLI's own logging setup: llama.cpp says nothing by default, and at INFO its
 * whole log arrives through SLF4J (the CLI's log format, logger {@code llama.cpp}), never as raw native lines.
 */
class LlamaLogProcessTest {
    private static final String LOG_LINE = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) .*";

    private record Output(int code, String out, String err) {
    }

    private static Output flowRun(Path flow, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FlowCommand.class.getName(),
                "run", flow.toString(), "--prompt", "Once upon a time,"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("FLOW_LLAMA_LOG_LEVEL");
        pb.environment().remove("FLOW_LOG_LEVEL");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path storyFlow(Path dir) throws Exception {
        Path file = dir.resolve("story.flow.json");
        FlowFiles.save(FlowFiles.load(TestModels.projectRoot().resolve("examples/story-api.flow.json"))
                .withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "maxTokens", 40)
                .withSetting("llm", "ignoreEos", true), file); // exactly 40 tokens: a sampled story may end sooner
        return file;
    }

    @Test
    void byDefaultLlamaCppIsQuiet(@TempDir Path dir) throws Exception {
        Output o = flowRun(storyFlow(dir), Map.of());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).isNotBlank().doesNotContain("llama");
        assertThat(o.err()).doesNotContain("llama.cpp").doesNotContain("llama_model_loader")
                .doesNotContain("print_info").doesNotContain("slot").contains("completion tokens");
        // Flowgraph's own log is at INFO by default.
        assertThat(o.err()).containsPattern("INFO  \\S+ - flow 'story-api' running");
    }

    @Test
    void flowLogLevelWarnHidesFlowgraphsInfoLines(@TempDir Path dir) throws Exception {
        Output o = flowRun(storyFlow(dir), Map.of("FLOW_LOG_LEVEL", "WARN"));

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).doesNotContain("INFO").doesNotContain("flow 'story-api' running").contains("completion tokens");
    }

    @Test
    void atWarnLlamaCppShowsItsWarningsOnly(@TempDir Path dir) throws Exception {
        Output o = flowRun(storyFlow(dir), Map.of("FLOW_LLAMA_LOG_LEVEL", "WARN"));

        assertThat(o.code()).as(o.err()).isZero();
        List<String> llama = o.err().lines().filter(l -> l.contains(" llama.cpp - ")).toList();
        assertThat(llama).anyMatch(l -> l.matches("\\S+ WARN  llama\\.cpp - load: special_eos_id is not in special_eog_ids.*"))
                .allMatch(l -> l.matches("\\S+ (WARN |ERROR) llama\\.cpp - .*"));
    }

    @Test
    void atInfoLlamaCppsOwnLogArrivesThroughSlf4j(@TempDir Path dir) throws Exception {
        Output o = flowRun(storyFlow(dir), Map.of("FLOW_LLAMA_LOG_LEVEL", "INFO"));

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).isNotBlank().doesNotContain("llama");
        List<String> lines = o.err().lines().toList();
        // Loading, and the request's own lines from llama.cpp's server loop.
        assertThat(lines).anyMatch(l -> l.matches(LOG_LINE) && l.contains(" llama.cpp - llama_model_loader: loaded meta"))
                .anyMatch(l -> l.matches(LOG_LINE) && l.contains(" llama.cpp - ") && l.contains("prompt done"))
                .anyMatch(l -> l.matches("\\S+ WARN  llama\\.cpp - load: special_eos_id is not in special_eog_ids.*"));
        // Every line is a log line, except the summary `flow run` itself prints.
        assertThat(lines).filteredOn(l -> !l.matches(LOG_LINE)).singleElement().asString()
                .matches("\\[5 prompt \\+ 40 completion tokens, length, .*\\]");
        assertThat(lines.stream().filter(l -> l.contains(" llama.cpp - ")).count()).isGreaterThan(50);
    }
}
