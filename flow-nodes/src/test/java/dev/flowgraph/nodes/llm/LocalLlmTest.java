package dev.flowgraph.nodes.llm;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.GenerationOptions;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Packet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalLlmTest {
    private static LocalLlmHarness llm;

    @BeforeAll
    static void start() throws Exception {
        llm = new LocalLlmHarness(Map.of("maxTokens", 64, "seed", 42));
    }

    @AfterAll
    static void stop() {
        llm.close();
    }

    @Test
    void streamsAStoryTokenByTokenWithUsage() throws Exception {
        LocalLlmHarness.Answer answer = llm.ask("Once upon a time,");
        assertThat(answer.text()).isNotBlank();
        assertThat(answer.deltas()).isGreaterThan(5);
        Packet.End end = answer.ended();
        assertThat(end.usage().promptTokens()).isGreaterThan(1);
        // Usage counts sampled tokens; a token that decodes to nothing yet (part of a UTF-8 sequence) sends no delta.
        assertThat(end.usage().completionTokens()).isBetween(answer.deltas(), 64);
        NodeTrace trace = answer.run().trace().node("llm").orElseThrow();
        assertThat(trace.tokensIn()).isEqualTo(end.usage().promptTokens());
        assertThat(trace.tokensOut()).isEqualTo(end.usage().completionTokens());
    }

    @Test
    void theSameSeedGivesTheSameStory() throws Exception {
        assertThat(llm.ask("Once upon a time,").text()).isEqualTo(llm.ask("Once upon a time,").text());
    }

    @Test
    void maxTokensEndsWithFinishReasonLength() throws Exception {
        try (LocalLlmHarness five = new LocalLlmHarness(Map.of("maxTokens", 5, "ignoreEos", true))) {
            Packet.End end = five.ask("Once upon a time,").ended();
            assertThat(end.usage().completionTokens()).isEqualTo(5);
            assertThat(end.finishReason()).isEqualTo("length");
        }
    }

    @Test
    void optionsInTheRequestOverrideTheNodesSettingsForThatRunOnly() throws Exception {
        var request = dev.flowgraph.core.chat.ChatRequest.ofUser("Once upon a time,").withOptions(
                new dev.flowgraph.core.chat.GenerationOptions(5, 0.0, null, null, 11L, null, null));
        LocalLlmHarness.Answer five = llm.ask(request);
        assertThat(five.ended().usage().completionTokens()).isEqualTo(5);
        assertThat(five.ended().finishReason()).isEqualTo("length");
        // Temperature 0 with the same seed: the same text again; and the node's own maxTokens (64) is back after.
        assertThat(llm.ask(request).text()).isEqualTo(five.text());
        assertThat(llm.ask("Once upon a time,").ended().usage().completionTokens()).isGreaterThan(5);
    }

    private static String answer(LocalLlmHarness harness, GenerationOptions options) throws InterruptedException {
        LocalLlmHarness.Answer answer = harness.ask(ChatRequest.ofUser("Once upon a time,").withOptions(options));
        assertThat(answer.end()).as("the run ended without error").isInstanceOf(Packet.End.class);
        return answer.text();
    }

    /** Request options: max tokens, temperature, top_p, stop, seed, presence and frequency penalty, in that order. */
    private static GenerationOptions options(Double temperature, Double topP, List<String> stop, Long seed,
                                             Double presence, Double frequency) {
        return new GenerationOptions(40, temperature, topP, stop, seed, presence, frequency);
    }

    @Test
    void everyRequestOptionChangesWhatLlamaCppGenerates() throws Exception {
        String greedy = answer(llm, options(0.0, null, null, 1L, null, null));
        // Temperature 0 is greedy: the seed no longer matters.
        assertThat(answer(llm, options(0.0, null, null, 2L, null, null))).isEqualTo(greedy);
        // Temperature 1 samples: the seed decides, the same seed repeats.
        String sampledOne = answer(llm, options(1.0, null, null, 1L, null, null));
        assertThat(answer(llm, options(1.0, null, null, 2L, null, null))).isNotEqualTo(sampledOne);
        assertThat(answer(llm, options(1.0, null, null, 1L, null, null))).isEqualTo(sampledOne);
        assertThat(sampledOne).isNotEqualTo(greedy);
        // top_p so small that only the likeliest token is left: sampling at temperature 1 becomes greedy.
        assertThat(answer(llm, options(1.0, 0.001, null, 2L, null, null))).isEqualTo(greedy);
        // A stop string cuts the greedy story just before it.
        assertThat(greedy).contains(".");
        String stopped = answer(llm, options(0.0, null, List.of("."), 1L, null, null));
        assertThat(stopped).isNotBlank().doesNotContain(".");
        assertThat(greedy).startsWith(stopped);
        // Penalties push the choice away from tokens already used: the same seeded sample, and even the greedy story
        // (whose likeliest tokens lead by too much for a presence penalty alone to tip within 40 tokens), change.
        assertThat(answer(llm, options(1.0, null, null, 1L, 2.0, null))).isNotEqualTo(sampledOne);
        assertThat(answer(llm, options(1.0, null, null, 1L, null, 2.0))).isNotEqualTo(sampledOne);
        assertThat(answer(llm, options(0.0, null, null, 1L, null, 2.0))).isNotEqualTo(greedy);
    }

    @Test
    void whatTheRequestLeavesOutComesFromTheNodesSettings() throws Exception {
        // The node's topK 1 keeps only the likeliest token, so a request sampling at temperature 1 with any seed gets
        // the greedy story; the node's maxTokens applies when the request gives none.
        try (LocalLlmHarness topK1 = new LocalLlmHarness(Map.of("maxTokens", 24, "topK", 1, "ignoreEos", true))) {
            GenerationOptions sampled = new GenerationOptions(null, 1.0, null, null, 7L, null, null);
            LocalLlmHarness.Answer first = topK1.ask(ChatRequest.ofUser("Once upon a time,").withOptions(sampled));
            assertThat(first.ended().usage().completionTokens()).isEqualTo(24);
            String other = answer(topK1, new GenerationOptions(24, 1.0, null, null, 8L, null, null));
            String greedy = answer(topK1, new GenerationOptions(24, 0.0, null, null, 9L, null, null));
            assertThat(first.text()).isEqualTo(other).isEqualTo(greedy);
        }
    }

    @Test
    void stopStringsEndTheAnswerBeforeThem() throws Exception {
        try (LocalLlmHarness stopped = new LocalLlmHarness(Map.of("maxTokens", 200, "seed", 42,
                "stop", List.of(".")))) {
            LocalLlmHarness.Answer answer = stopped.ask("Once upon a time,");
            assertThat(answer.text()).isNotBlank().doesNotContain(".");
            assertThat(answer.ended().finishReason()).isEqualTo("stop");
        }
    }

    @Test
    void aCancelledRunStopsGeneratingPromptly() throws Exception {
        // Two threads decode this model slowly (about 1,200 tokens/s here), so 20,000 tokens would take many seconds.
        try (LocalLlmHarness slow = new LocalLlmHarness(Map.of("maxTokens", 20_000, "ignoreEos", true,
                "threads", 2, "contextSize", 512))) {
            LocalLlmHarness.Stream stream = slow.submit("Once upon a time,");
            assertThat(stream.packets().poll(10, TimeUnit.SECONDS)).isInstanceOf(Packet.Delta.class);
            long cancelledAt = System.nanoTime();
            stream.run().cancel("test");
            LocalLlmHarness.Answer rest = stream.finish();
            long stoppedMillis = (System.nanoTime() - cancelledAt) / 1_000_000;
            assertThat(rest.ended().finishReason()).isEqualTo("cancelled");
            assertThat(rest.ended().usage().completionTokens()).isLessThan(20_000);
            // Generous on purpose (a loaded machine): a run that ignored the cancel would take ten seconds and more.
            assertThat(stoppedMillis).as("time from cancel to the end of generation").isLessThan(5_000);
        }
    }

    /** A stand-in for a loaded model in the tuner's own test: its speed is given, and it knows if it was closed. */
    private static final class TimedModel implements AutoCloseable {
        final int threads;
        boolean closed;

        TimedModel(int threads) {
            this.threads = threads;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void theThreadTunerKeepsTheFastestCandidateLoadedAndUnloadsTheOthers() {
        Map<Integer, Double> speeds = Map.of(1, 900.0, 4, 2_500.0, 8, 1_700.0);
        List<TimedModel> loaded = new java.util.ArrayList<>();
        ThreadTuner.Result<TimedModel> result = ThreadTuner.tune(t -> {
            TimedModel m = new TimedModel(t);
            loaded.add(m);
            return m;
        }, m -> speeds.get(m.threads), 8);
        assertThat(loaded).extracting(m -> m.threads).containsExactly(1, 4, 8); // 1, half the cores, all of them
        assertThat(result.threads()).isEqualTo(4);
        assertThat(result.model()).isSameAs(loaded.get(1));
        assertThat(loaded).extracting(m -> m.closed).containsExactly(true, false, true);
        assertThat(ThreadTuner.candidates(2)).containsExactly(1, 2);
        assertThat(ThreadTuner.candidates(1)).containsExactly(1);
    }

    @Test
    void threadsAutoOnANodeMeasuresEachCandidateAndAnswersWithTheOneItChose() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(LocalModel.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        System.setProperty("flowgraph.retuneThreads", "true"); // measure, whatever an earlier start remembered
        try (LocalLlmHarness auto = new LocalLlmHarness(Map.of("threads", "auto", "maxTokens", 16))) {
            int chosen = auto.llmNode().threads();
            List<Integer> candidates = ThreadTuner.candidates(Runtime.getRuntime().availableProcessors());
            assertThat(candidates).contains(chosen);
            // The log says what each candidate measured and which was kept, as an operator reads it.
            String measured = events.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("threads auto measured")).findFirst().orElseThrow();
            for (int candidate : candidates) {
                assertThat(measured).containsPattern("\\b" + candidate + " → \\d+ tokens/s");
            }
            assertThat(measured).endsWith("; using " + chosen);
            assertThat(events.list).anyMatch(e -> e.getFormattedMessage().contains("(" + chosen + " threads,"));
            assertThat(auto.ask("Once upon a time,").ended().usage().completionTokens()).isPositive();
        } finally {
            System.clearProperty("flowgraph.retuneThreads");
            logger.detachAppender(events);
        }
    }

    @Test
    void threadsAutoRemembersItsChoiceForTheNextStartOnTheSameModelAndMachine(@org.junit.jupiter.api.io.TempDir
                                                                               java.nio.file.Path cache) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(LocalModel.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        String before = System.getProperty("flowgraph.cacheDir");
        System.setProperty("flowgraph.cacheDir", cache.toString());
        try {
            int chosen;
            try (LocalLlmHarness first = new LocalLlmHarness(Map.of("threads", "auto", "maxTokens", 8))) {
                chosen = first.llmNode().threads();
            }
            assertThat(java.nio.file.Files.readString(cache.resolve("threads.properties"))).contains("=" + chosen);
            events.list.clear();
            long start = System.nanoTime();
            try (LocalLlmHarness second = new LocalLlmHarness(Map.of("threads", "auto", "maxTokens", 8))) {
                assertThat(second.llmNode().threads()).isEqualTo(chosen);
                assertThat(second.ask("Once upon a time,").ended().usage().completionTokens()).isPositive();
            }
            assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(m -> m.contains("threads auto measured"))
                    .anyMatch(m -> m.contains("threads auto: " + chosen + ", as measured before"));
            // Another context size is another load: it measures again.
            events.list.clear();
            try (LocalLlmHarness other = new LocalLlmHarness(Map.of("threads", "auto", "maxTokens", 8,
                    "contextSize", 1024))) {
                assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                        .anyMatch(m -> m.contains("threads auto measured"));
            }
        } finally {
            if (before == null) {
                System.clearProperty("flowgraph.cacheDir");
            } else {
                System.setProperty("flowgraph.cacheDir", before);
            }
            logger.detachAppender(events);
        }
    }

    @Test
    void aNamedChatTemplateRendersTheConversationAndTheModelAnswers() throws Exception {
        try (LocalLlmHarness chatml = new LocalLlmHarness(Map.of("chatTemplate", "chatml", "maxTokens", 16))) {
            LocalLlmNode node = chatml.llmNode();
            String prompt = node.render(new dev.flowgraph.core.chat.ChatRequest(List.of(
                    dev.flowgraph.core.chat.ChatMessage.system("Tell stories."),
                    dev.flowgraph.core.chat.ChatMessage.user("Once upon a time,"))));
            assertThat(prompt).contains("<|im_start|>system\nTell stories.<|im_end|>")
                    .contains("<|im_start|>user\nOnce upon a time,<|im_end|>")
                    .endsWith("<|im_start|>assistant\n");
            assertThat(chatml.ask("Once upon a time,").ended().usage().completionTokens()).isPositive();
        }
        try (LocalLlmHarness plain = new LocalLlmHarness(Map.of("maxTokens", 4))) {
            assertThat(plain.llmNode().render(dev.flowgraph.core.chat.ChatRequest.ofUser("Once upon a time,")))
                    .isEqualTo("Once upon a time,");
        }
    }

    @Test
    void aMissingModelSaysWhereToPutIt() {
        assertThatThrownBy(() -> new LocalLlmHarness(Map.of("modelPath", "models/not-here.gguf")))
                .isInstanceOf(FlowStartException.class)
                .hasMessageContaining("not-here.gguf")
                .hasMessageContaining("fetch-models.sh")
                .hasMessageContaining("models/");
    }
}
