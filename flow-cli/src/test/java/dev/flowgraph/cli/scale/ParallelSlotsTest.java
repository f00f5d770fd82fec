package dev.flowgraph.cli.scale;

import dev.flowgraph.core.flow.FlowFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One instance with {@code concurrency: 4} and {@code parallel: 4}: four streams at once, each with only its own tokens. */
class ParallelSlotsTest {
    private static final List<String> PROMPTS = List.of("Once upon a time, Lily", "Tom had a big red ball",
            "The sun was hot and the dog", "One day a little cat");

    @Test
    void fourSimultaneousStreamsEachGetAWholeStreamOfTheirOwn(@TempDir Path dir) throws Exception {
        // Fixed-length streams (ignoreEos). Which story each gets is not compared with the one it gets alone:
        // llama.cpp's batched arithmetic differs from a single sequence's in the last bits, enough to tip even a
        // greedy choice now and then. That no token goes to the wrong run is checked at node level
        // (LocalLlmParallelTest, with a different length per run).
        Path flow = ServeInstance.storyFlow(dir, 400, 4, 4);
        FlowFiles.save(FlowFiles.load(flow).withSetting("llm", "temperature", 0.0).withSetting("llm", "seed", 11), flow);
        try (ServeInstance instance = ServeInstance.start(flow, Ports.free())) {
            CountDownLatch allStarted = new CountDownLatch(PROMPTS.size());
            List<CompletableFuture<PromptClient.Answer>> together = new ArrayList<>();
            for (String prompt : PROMPTS) {
                together.add(CompletableFuture.supplyAsync(() -> PromptClient.ask(instance.url(), prompt, allStarted)));
            }
            assertThat(allStarted.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(PromptClient.health(instance.url()).path("capacity").asInt()).isEqualTo(4);
            List<PromptClient.Answer> answers = new ArrayList<>();
            for (CompletableFuture<PromptClient.Answer> future : together) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            // They overlapped: each had its first piece before any of them ended.
            long lastFirstPiece = answers.stream().mapToLong(a -> a.arrivals().get(0)).max().orElseThrow();
            long firstEnd = answers.stream().mapToLong(PromptClient.Answer::endedAt).min().orElseThrow();
            assertThat(lastFirstPiece).isLessThan(firstEnd);
            for (int i = 0; i < PROMPTS.size(); i++) {
                PromptClient.Answer answer = answers.get(i);
                assertThat(answer.complete()).as(answer.toString()).isTrue();
                assertThat(answer.tokens()).as("tokens of the stream for '%s'", PROMPTS.get(i)).isEqualTo(400);
                assertThat(answer.finish()).isEqualTo("length");
            }
            assertThat(answers).extracting(PromptClient.Answer::text).doesNotHaveDuplicates();
        }
    }
}
