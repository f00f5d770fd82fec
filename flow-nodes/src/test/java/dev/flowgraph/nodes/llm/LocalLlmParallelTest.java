package dev.flowgraph.nodes.llm;

import dev.flowgraph.core.run.NodeTrace;
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
    void fourRunsGeneratedTogetherEachGetExactlyTheStoryTheyGetAlone() throws Exception {
        // Greedy decoding: with sampling, llama.cpp's batched arithmetic may tip a draw differently than alone.
        try (LocalLlmHarness llm = new LocalLlmHarness(Map.of("parallel", 4, "maxTokens", 96, "seed", 7,
                "temperature", 0.0))) {
            List<String> alone = new ArrayList<>();
            for (String prompt : PROMPTS) {
                alone.add(llm.ask(prompt).text());
            }
            assertThat(alone).doesNotHaveDuplicates().allSatisfy(story -> assertThat(story).isNotBlank());

            List<LocalLlmHarness.Stream> streams = PROMPTS.stream().map(llm::submit).toList();
            List<LocalLlmHarness.Answer> together = new ArrayList<>();
            for (LocalLlmHarness.Stream stream : streams) {
                together.add(stream.finish());
            }
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertThat(together.get(i).text()).as("the story for '%s'", PROMPTS.get(i)).isEqualTo(alone.get(i));
            }
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
}
