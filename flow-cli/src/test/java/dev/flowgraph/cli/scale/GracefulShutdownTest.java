package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM on a serving instance: the stream in flight finishes, new requests are turned away, exit 0. The stream is
 * held open by its upstream ({@link GatedChatService}) for as long as the test needs, however fast the machine.
 */
class GracefulShutdownTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PIECES = 200;

    @Test
    void sigtermMidStreamLetsTheStreamFinishAndExitsZero(@TempDir Path dir) throws Exception {
        try (GatedChatService upstream = new GatedChatService(PIECES);
             ServeInstance instance = ServeInstance.start(ServeInstance.gatedFlow(dir, upstream), Ports.free())) {
            // The instance's warm-up never calls a remote service: it would spend the user's tokens.
            assertThat(upstream.requests()).isZero();
            assertThat(instance.log()).contains("warm-up: 1 requests").doesNotContain("WARN");
            upstream.hold();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<PromptClient.Answer> answer = CompletableFuture.supplyAsync(
                    () -> PromptClient.ask(instance.url(), "Once upon a time,", started));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            instance.terminate();

            // While it drains, its health check fails (503, what a load balancer reads) and it takes no new request,
            // saying so at once.
            PromptClient.Health health = PromptClient.healthCheck(instance.url());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!health.state().equals("draining") && System.nanoTime() < deadline) {
                Thread.sleep(10);
                health = PromptClient.healthCheck(instance.url());
            }
            assertThat(health.state()).as(health.body().toString()).isEqualTo("draining");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body().path("busy").asBoolean()).isTrue();
            assertThat(health.body().path("inFlight").asInt()).isEqualTo(1);
            PromptClient.Answer turnedAway = PromptClient.ask(instance.url(), "Hello");
            assertThat(turnedAway.status()).as(turnedAway.toString()).isEqualTo(503);
            assertThat(JSON.readTree(turnedAway.body()).path("error").path("type").asText()).isEqualTo("shutting_down");
            assertThat(turnedAway.retryAfter()).isEqualTo("1");
            assertThat(answer).as("the stream in flight is still open while the instance drains").isNotDone();

            upstream.release();
            PromptClient.Answer finished = answer.get(60, TimeUnit.SECONDS);
            assertThat(finished.complete()).as(finished.toString()).isTrue();
            assertThat(finished.tokens()).isEqualTo(PIECES);
            assertThat(finished.pieces()).hasSize(PIECES);
            assertThat(finished.finish()).isEqualTo("length");
            assertThat(instance.process().waitFor(30, TimeUnit.SECONDS)).as(instance.log()).isTrue();
            assertThat(instance.process().exitValue()).as(instance.log()).isZero();
            assertThat(instance.log()).contains("SIGTERM").doesNotContain(ServeInstance.KEY);
        }
    }

    @Test
    void aStreamStillRunningAtTheDrainTimeoutEndsWithAnErrorEvent(@TempDir Path dir) throws Exception {
        try (GatedChatService upstream = new GatedChatService(PIECES);
             ServeInstance instance = ServeInstance.start(ServeInstance.gatedFlow(dir, upstream), Ports.free(),
                     "--drain-seconds", "1")) {
            upstream.hold(); // never released: the stream is still running when the drain time is up
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<PromptClient.Answer> answer = CompletableFuture.supplyAsync(
                    () -> PromptClient.ask(instance.url(), "Once upon a time,", started));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            instance.terminate();
            PromptClient.Answer cut = answer.get(30, TimeUnit.SECONDS);
            assertThat(cut.error()).as(cut.toString()).contains("shutting down");
            assertThat(cut.pieces()).as("only what came before the drain ran out").hasSize(1);
            assertThat(cut.done()).as("the stream still ends properly").isTrue();
            assertThat(instance.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(instance.process().exitValue()).as(instance.log()).isZero();
        }
    }
}
