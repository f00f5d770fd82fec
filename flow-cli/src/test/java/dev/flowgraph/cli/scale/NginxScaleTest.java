package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.cli.nginx.NginxConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three {@code flow serve} instances behind Debian's NGINX with the config {@code flow nginx} writes, driven by
 * clients at once: full streams arriving piece by piece, JSON 503 when all are busy, retries that all succeed.
 * The instances answer through a {@link GatedChatService}, so each test holds its streams open exactly as long as
 * it needs them, on a slow machine and a fast one alike.
 */
class NginxScaleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INSTANCES = 3;
    private static final int PIECES = 300;

    @TempDir
    static Path dir;
    private static final List<ServeInstance> instances = new ArrayList<>();
    private static GatedChatService upstream;
    private static Nginx nginx;

    @BeforeAll
    static void startInstancesAndNginx() throws Exception {
        upstream = new GatedChatService(PIECES);
        Path flow = ServeInstance.gatedFlow(dir, upstream);
        int base = Ports.freeRun(INSTANCES);
        List<CompletableFuture<ServeInstance>> starting = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            int port = base + i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ServeInstance.start(flow, port);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<ServeInstance> s : starting) {
            instances.add(s.get(90, TimeUnit.SECONDS));
        }
        nginx = Nginx.start(dir, new NginxConfig(INSTANCES, base, "127.0.0.1", Ports.free(), 1, 1));
    }

    @AfterEach
    void openTheGate() {
        upstream.release();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        for (ServeInstance instance : instances) {
            instance.close();
        }
        upstream.close();
    }

    private static void assertFull(PromptClient.Answer answer) {
        assertThat(answer.complete()).as(answer + "\nnginx: " + nginx.log()).isTrue();
        assertThat(answer.finish()).isEqualTo("length");
        assertThat(answer.tokens()).isEqualTo(PIECES);
        assertThat(answer.pieces()).as("every piece parsed and none lost").hasSize(PIECES);
    }

    /** Three requests through NGINX, each streaming its first piece and then held upstream. */
    private static List<CompletableFuture<PromptClient.Answer>> threeHeldStreams() throws InterruptedException {
        upstream.hold();
        CountDownLatch allStarted = new CountDownLatch(INSTANCES);
        List<CompletableFuture<PromptClient.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> PromptClient.ask(nginx.url(), "Once upon a time,", allStarted)));
        }
        assertThat(allStarted.await(60, TimeUnit.SECONDS)).as("nginx: " + nginx.log()).isTrue();
        return answers;
    }

    @Test
    void threeClientsAtOnceEachGetAFullStreamArrivingPieceByPiece() throws Exception {
        List<CompletableFuture<PromptClient.Answer>> answers = threeHeldStreams();
        // Every client has its first piece while every stream is still held upstream: NGINX passed the piece on as
        // it came instead of buffering the answer, and the three streams run at the same time.
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        assertThat(upstream.open()).isEqualTo(INSTANCES);
        upstream.release();
        List<PromptClient.Answer> finished = new ArrayList<>();
        for (CompletableFuture<PromptClient.Answer> future : answers) {
            finished.add(future.get(60, TimeUnit.SECONDS));
        }
        long lastFirstPiece = finished.stream().mapToLong(a -> a.arrivals().get(0)).max().orElseThrow();
        long firstEnd = finished.stream().mapToLong(PromptClient.Answer::endedAt).min().orElseThrow();
        assertThat(lastFirstPiece).as("each has its first piece before any has finished").isLessThan(firstEnd);
        finished.forEach(NginxScaleTest::assertFull);
    }

    @Test
    void whenEveryInstanceIsBusyTheNextRequestGetsJson503WithRetryAfterAtOnce() throws Exception {
        List<CompletableFuture<PromptClient.Answer>> busy = threeHeldStreams();
        PromptClient.Answer fourth = PromptClient.ask(nginx.url(), "Me too");
        // The three are still held: the 503 came while they ran, not after one of them ended.
        assertThat(busy).noneMatch(CompletableFuture::isDone);
        assertThat(fourth.status()).as(fourth.toString()).isEqualTo(503);
        assertThat(fourth.contentType()).startsWith("application/json");
        assertThat(fourth.retryAfter()).isEqualTo("1");
        JsonNode error = JSON.readTree(fourth.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("server_busy");
        assertThat(error.path("message").asText()).contains("busy");
        upstream.release();
        for (CompletableFuture<PromptClient.Answer> b : busy) {
            assertFull(b.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void twelveClientsRetryingAfterRetryAfterAllCompleteWithNeverMoreThanThreeStreams() throws Exception {
        upstream.hold();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger mostInFlight = new AtomicInteger();
        CountDownLatch threeInFlight = new CountDownLatch(1);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                int inFlight = 0;
                for (ServeInstance instance : instances) {
                    inFlight += PromptClient.health(instance.url()).path("inFlight").asInt();
                }
                mostInFlight.accumulateAndGet(inFlight, Math::max);
                if (inFlight == INSTANCES) {
                    threeInFlight.countDown();
                }
            }
        });
        sampler.start();
        AtomicInteger turnedAway = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(12);
        List<CompletableFuture<PromptClient.Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    for (int attempt = 0; attempt < 120; attempt++) {
                        PromptClient.Answer answer = PromptClient.ask(nginx.url(), "Once upon a time,");
                        if (answer.status() != 503) {
                            return answer;
                        }
                        turnedAway.incrementAndGet();
                        try {
                            Thread.sleep(Long.parseLong(answer.retryAfter()) * 1000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return answer;
                        }
                    }
                    throw new AssertionError("still turned away after 120 attempts");
                }, clients));
            }
            // The first three are held until all three are seen streaming at once; the other nine are turned away
            // meanwhile and come back after Retry-After.
            assertThat(threeInFlight.await(60, TimeUnit.SECONDS)).isTrue();
            upstream.release();
            for (CompletableFuture<PromptClient.Answer> answer : answers) {
                assertFull(answer.get(180, TimeUnit.SECONDS));
            }
        } finally {
            sampling.set(false);
            sampler.join();
            clients.shutdownNow();
        }
        assertThat(turnedAway.get()).as("clients turned away while three streams were held").isGreaterThanOrEqualTo(9);
        assertThat(mostInFlight.get()).as("streams in flight at once, summed over the instances").isEqualTo(INSTANCES);
        assertThat(upstream.mostOpen()).as("answers generated at once upstream").isEqualTo(INSTANCES);
    }
}
