package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM on a serving instance: the stream in flight finishes, new requests are turned away, exit 0. */
class GracefulShutdownTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOKENS = 1500;

    @Test
    void sigtermMidStreamLetsTheStreamFinishAndExitsZero(@TempDir Path dir) throws Exception {
        Path flow = ServeInstance.storyFlow(dir, TOKENS, 1, 1);
        try (ServeInstance instance = ServeInstance.start(flow, Ports.free())) {
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<PromptClient.Answer> answer = CompletableFuture.supplyAsync(
                    () -> PromptClient.ask(instance.url(), "Once upon a time,", started));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            instance.terminate();

            // While it drains, its health check fails and it takes no new request, saying so at once.
            JsonNode health = PromptClient.health(instance.url());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!health.path("status").asText().equals("draining") && System.nanoTime() < deadline) {
                Thread.sleep(10);
                health = PromptClient.health(instance.url());
            }
            assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("draining");
            assertThat(health.path("busy").asBoolean()).isTrue();
            PromptClient.Answer turnedAway = PromptClient.ask(instance.url(), "Hello");
            assertThat(turnedAway.status()).as(turnedAway.toString()).isEqualTo(503);
            assertThat(JSON.readTree(turnedAway.body()).path("error").path("type").asText()).isEqualTo("shutting_down");
            assertThat(turnedAway.retryAfter()).isNotNull();

            PromptClient.Answer finished = answer.get(60, TimeUnit.SECONDS);
            assertThat(finished.complete()).as(finished.toString()).isTrue();
            assertThat(finished.tokens()).isEqualTo(TOKENS);
            assertThat(finished.finish()).isEqualTo("length");
            assertThat(instance.process().waitFor(30, TimeUnit.SECONDS)).as(instance.log()).isTrue();
            assertThat(instance.process().exitValue()).as(instance.log()).isZero();
            assertThat(instance.log()).contains("SIGTERM").doesNotContain(ServeInstance.KEY);
        }
    }

    @Test
    void aStreamStillRunningAtTheDrainTimeoutEndsWithAnErrorEvent(@TempDir Path dir) throws Exception {
        Path flow = ServeInstance.storyFlow(dir, 1900, 1, 1);
        try (ServeInstance instance = ServeInstance.start(flow, Ports.free(), "--drain-seconds", "0")) {
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<PromptClient.Answer> answer = CompletableFuture.supplyAsync(
                    () -> PromptClient.ask(instance.url(), "Once upon a time,", started));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            instance.terminate();
            PromptClient.Answer cut = answer.get(30, TimeUnit.SECONDS);
            assertThat(cut.error()).as(cut.toString()).contains("shutting down");
            assertThat(cut.done()).as("the stream still ends properly").isTrue();
            assertThat(instance.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(instance.process().exitValue()).as(instance.log()).isZero();
        }
    }
}
