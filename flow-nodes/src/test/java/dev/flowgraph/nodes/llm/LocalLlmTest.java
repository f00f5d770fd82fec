package dev.flowgraph.nodes.llm;

import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Packet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @Test
    void everyRequestOptionReachesLlamaCppAndTheRestComeFromTheNode() {
        var node = new LocalLlmNode.Sampling(64, 0.8f, 0.95f, 40, 1.1f, false, 42, new String[]{"\n\n"});
        String asked = node.apply(new de.kherud.llama.InferenceParameters("x"),
                new dev.flowgraph.core.chat.GenerationOptions(5, 0.0, 0.5, List.of("a", "b"), 3L, 0.25, 0.75)).toString();
        assertThat(asked).contains("\"n_predict\": 5", "\"temperature\": 0.0", "\"top_p\": 0.5",
                "\"stop\": [\"a\", \"b\"]", "\"seed\": 3", "\"presence_penalty\": 0.25", "\"frequency_penalty\": 0.75",
                "\"top_k\": 40", "\"repeat_penalty\": 1.1");
        String defaults = node.apply(new de.kherud.llama.InferenceParameters("x"),
                dev.flowgraph.core.chat.GenerationOptions.NONE).toString();
        assertThat(defaults).contains("\"n_predict\": 64", "\"temperature\": 0.8", "\"top_p\": 0.95", "\"seed\": 42",
                "\"stop\": [\"\\n\\n\"]").doesNotContain("presence_penalty");
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
            assertThat(stoppedMillis).as("time from cancel to the end of generation").isLessThan(2_000);
        }
    }

    @Test
    void threadsAutoKeepsTheFastestCandidate() throws Exception {
        LlamaNative.load();
        ThreadTuner.Result result = ThreadTuner.tune(t -> new de.kherud.llama.LlamaModel(LlamaNative.logOptions(
                new de.kherud.llama.ModelParameters().setModel(dev.flowgraph.core.testing.TestModels.stories().toString())
                        .setThreads(t).setThreadsBatch(t).setCtxSize(256))), 2);
        try {
            assertThat(result.trials()).extracting(ThreadTuner.Trial::threads).containsExactly(1, 2);
            double best = result.trials().stream().mapToDouble(ThreadTuner.Trial::tokensPerSecond).max().orElseThrow();
            assertThat(result.trials()).filteredOn(t -> t.threads() == result.threads()).singleElement()
                    .satisfies(t -> assertThat(t.tokensPerSecond()).isEqualTo(best));
            assertThat(ThreadTuner.candidates(8)).containsExactly(1, 4, 8);
        } finally {
            result.model().close();
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
