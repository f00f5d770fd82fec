package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.cli.nginx.NginxConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances die while clients stream through NGINX: a killed instance's stream ends visibly and the others carry
 * on; with every instance down, NGINX still answers in our JSON. Streams are held open upstream
 * ({@link GatedChatService}), so the victim is surely mid-stream when it is killed.
 */
class NginxFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PIECES = 300;

    @Test
    void killingAnInstanceCutsOnlyItsStreamAndLaterRequestsAllSucceed(@TempDir Path dir) throws Exception {
        int base = Ports.freeRun(3);
        List<ServeInstance> instances = new ArrayList<>();
        try (GatedChatService upstream = new GatedChatService(PIECES)) {
            Path flow = ServeInstance.gatedFlow(dir, upstream);
            for (int i = 0; i < 3; i++) {
                instances.add(ServeInstance.start(flow, base + i));
            }
            try (Nginx nginx = Nginx.start(dir, new NginxConfig(3, base, "127.0.0.1", Ports.free(), 1, 1))) {
                upstream.hold();
                CountDownLatch allStarted = new CountDownLatch(3);
                List<CompletableFuture<PromptClient.Answer>> running = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    running.add(CompletableFuture.supplyAsync(() -> PromptClient.ask(nginx.url(), "Once upon a time,", allStarted)));
                }
                assertThat(allStarted.await(60, TimeUnit.SECONDS)).isTrue();
                ServeInstance victim = instances.get(1);
                assertThat(PromptClient.health(victim.url()).path("inFlight").asInt()).as("the victim is mid-stream").isEqualTo(1);
                victim.kill();
                assertThat(victim.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
                upstream.release();

                int complete = 0;
                int cut = 0;
                for (CompletableFuture<PromptClient.Answer> future : running) {
                    PromptClient.Answer answer = future.get(30, TimeUnit.SECONDS); // none hangs
                    if (answer.complete()) {
                        assertThat(answer.tokens()).isEqualTo(PIECES);
                        assertThat(answer.pieces()).hasSize(PIECES);
                        complete++;
                    } else {
                        // The client can tell: the connection broke or the stream ended without [DONE].
                        assertThat(answer.cut()).as(answer.toString()).isNotNull();
                        assertThat(answer.done()).isFalse();
                        assertThat(answer.pieces()).as("it had only its first piece").hasSize(1);
                        cut++;
                    }
                }
                assertThat(cut).as("only the killed instance's stream is cut").isEqualTo(1);
                assertThat(complete).isEqualTo(2);

                // After the kill, the two live instances take every request, two at a time.
                for (int round = 0; round < 3; round++) {
                    CompletableFuture<PromptClient.Answer> a = CompletableFuture.supplyAsync(() -> PromptClient.ask(nginx.url(), "Hello"));
                    CompletableFuture<PromptClient.Answer> b = CompletableFuture.supplyAsync(() -> PromptClient.ask(nginx.url(), "Hi"));
                    for (PromptClient.Answer answer : List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS))) {
                        assertThat(answer.complete()).as(answer + "\nnginx: " + nginx.log()).isTrue();
                        assertThat(answer.tokens()).isEqualTo(PIECES);
                    }
                }
            }
        } finally {
            for (ServeInstance instance : instances) {
                instance.close();
            }
        }
    }

    @Test
    void withEveryInstanceDownNginxAnswersOurJson503WithRetryAfter(@TempDir Path dir) throws Exception {
        // Two upstream ports where nothing listens: both instances are down (crashed, or not started yet).
        int base = Ports.freeRun(2);
        try (Nginx nginx = Nginx.start(dir, new NginxConfig(2, base, "127.0.0.1", Ports.free(), 1, 1))) {
            for (int attempt = 0; attempt < 3; attempt++) {
                PromptClient.Answer answer = PromptClient.ask(nginx.url(), "Anyone there?");
                assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
                assertThat(answer.contentType()).startsWith("application/json");
                assertThat(answer.retryAfter()).isEqualTo("1");
                JsonNode error = JSON.readTree(answer.body()).path("error");
                assertThat(error.path("type").asText()).as(answer.body()).isEqualTo("server_busy");
                assertThat(error.path("message").asText()).isNotBlank();
            }
        }
    }
}
