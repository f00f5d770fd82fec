package dev.flowgraph.cli.scale;

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

/** An instance dies (SIGKILL) while clients stream through NGINX: its stream ends visibly, the others carry on. */
class NginxFailoverTest {
    private static final int TOKENS = 1500;

    @Test
    void killingAnInstanceCutsOnlyItsStreamAndLaterRequestsAllSucceed(@TempDir Path dir) throws Exception {
        Path flow = ServeInstance.storyFlow(dir, TOKENS, 1, 1);
        int base = Ports.freeRun(3);
        List<ServeInstance> instances = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                instances.add(ServeInstance.start(flow, base + i));
            }
            try (Nginx nginx = Nginx.start(dir, new NginxConfig(3, base, "127.0.0.1", Ports.free(), 1, 1))) {
                CountDownLatch allStarted = new CountDownLatch(3);
                List<CompletableFuture<PromptClient.Answer>> running = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    running.add(CompletableFuture.supplyAsync(() -> PromptClient.ask(nginx.url(), "Once upon a time,", allStarted)));
                }
                assertThat(allStarted.await(60, TimeUnit.SECONDS)).isTrue();
                ServeInstance victim = instances.get(1);
                victim.kill();
                assertThat(victim.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

                int complete = 0;
                int cut = 0;
                for (CompletableFuture<PromptClient.Answer> future : running) {
                    PromptClient.Answer answer = future.get(30, TimeUnit.SECONDS); // none hangs
                    if (answer.complete()) {
                        assertThat(answer.tokens()).isEqualTo(TOKENS);
                        complete++;
                    } else {
                        // The client can tell: the connection broke or the stream ended without [DONE].
                        assertThat(answer.cut()).as(answer.toString()).isNotNull();
                        assertThat(answer.done()).isFalse();
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
                        assertThat(answer.tokens()).isEqualTo(TOKENS);
                    }
                }
            }
        } finally {
            for (ServeInstance instance : instances) {
                instance.close();
            }
        }
    }
}
