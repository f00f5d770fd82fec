package dev.flowgraph.nodes.llm;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.GenerationOptions;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Packet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parallel}: several runs generated together in llama.cpp's parallel sequences, never mixing tokens. */
class LocalLlmParallelTest {
    private static final List<String> PROMPTS = List.of("Once upon a time, Lily", "Tom had a big red ball",
            "The sun was hot and the dog", "One day a little cat");

    @Test
    void fourRunsGeneratedTogetherEachGetTheirOwnStream() throws Exception {
        // Each run asks for a different fixed length: a token delivered to the wrong run would change the counts.
        // (Comparing with the story a prompt gets alone does not hold: llama.cpp's batched arithmetic differs from
        // its single-sequence arithmetic in the last bits, enough to tip even a greedy choice now and then.)
        try (LocalLlmHarness llm = new LocalLlmHarness(Map.of("parallel", 4, "ignoreEos", true, "seed", 7,
                "temperature", 0.0))) {
            List<LocalLlmHarness.Stream> streams = new ArrayList<>();
            for (int i = 0; i < PROMPTS.size(); i++) {
                streams.add(llm.submit(ChatRequest.ofUser(PROMPTS.get(i)).withOptions(
                        new GenerationOptions(maxTokens(i), null, null, null, null, null, null))));
            }
            List<LocalLlmHarness.Answer> together = new ArrayList<>();
            for (LocalLlmHarness.Stream stream : streams) {
                together.add(stream.finish());
            }
            for (int i = 0; i < PROMPTS.size(); i++) {
                LocalLlmHarness.Answer answer = together.get(i);
                assertThat(answer.end()).isInstanceOf(Packet.End.class);
                Packet.End end = (Packet.End) answer.end();
                assertThat(end.finishReason()).isEqualTo(Packet.End.LENGTH);
                assertThat(end.usage().completionTokens()).as("tokens of '%s'", PROMPTS.get(i)).isEqualTo(maxTokens(i));
                assertThat(answer.run().trace().node("llm").orElseThrow().tokensOut()).isEqualTo(maxTokens(i));
                assertThat(answer.text()).isNotBlank();
            }
            assertThat(together).extracting(LocalLlmHarness.Answer::text).doesNotHaveDuplicates();
            // They really ran at the same time: every generation started before any of them ended.
            long lastStart = Long.MIN_VALUE;
            long firstEnd = Long.MAX_VALUE;
            for (LocalLlmHarness.Answer answer : together) {
                NodeTrace trace = answer.run().trace().node("llm").orElseThrow();
                lastStart = Math.max(lastStart, answer.run().startNanos() + trace.startNanos());
                firstEnd = Math.min(firstEnd, answer.run().startNanos() + trace.endNanos());
            }
            assertThat(lastStart).isLessThan(firstEnd);
        }
    }

    private static int maxTokens(int i) {
        return 64 + 24 * i;
    }
}
