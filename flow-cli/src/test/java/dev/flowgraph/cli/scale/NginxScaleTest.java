package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.cli.nginx.NginxConfig;
import org.junit.jupiter.api.AfterAll;
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
 */
class NginxScaleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INSTANCES = 3;
    private static final int TOKENS = 1200;

    @TempDir
    static Path dir;
    private static final List<ServeInstance> instances = new ArrayList<>();
    private static Nginx nginx;

    @BeforeAll
    static void startInstancesAndNginx() throws Exception {
        Path flow = ServeInstance.storyFlow(dir, TOKENS, 1, 1);
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

    @AfterAll
    static void stopAll() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        for (ServeInstance instance : instances) {
            instance.close();
        }
    }

    private static void assertFull(PromptClient.Answer answer) {
        assertThat(answer.complete()).as(answer + "\nnginx: " + nginx.log()).isTrue();
        assertThat(answer.finish()).isEqualTo("length");
        assertThat(answer.tokens()).isEqualTo(TOKENS);
        assertThat(answer.pieces()).hasSizeGreaterThan(TOKENS * 9 / 10);
    }

    @Test
    void threeClientsAtOnceEachGetAFullStreamArrivingPieceByPiece() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(INSTANCES);
        List<CompletableFuture<PromptClient.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> PromptClient.ask(nginx.url(), "Once upon a time,", allStarted)));
        }
        // All three stream at the same time: each has its first piece before any has finished.
        assertThat(allStarted.await(60, TimeUnit.SECONDS)).isTrue();
        for (CompletableFuture<PromptClient.Answer> future : answers) {
            PromptClient.Answer answer = future.get(60, TimeUnit.SECONDS);
            assertFull(answer);
            // Through NGINX the events come as they are made, not in one lump at the end: the first piece arrives
            // early, and the pieces are spread over the stream's life.
            long total = answer.endedAt() - answer.headersAt();
            long firstPiece = answer.arrivals().get(0) - answer.headersAt();
            long spread = answer.arrivals().get(answer.arrivals().size() - 1) - answer.arrivals().get(0);
            assertThat(firstPiece).as("first piece after %d of %d ms", firstPiece / 1_000_000, total / 1_000_000)
                    .isLessThan(total / 4);
            assertThat(spread).isGreaterThan(total / 2);
        }
    }

    @Test
    void whenEveryInstanceIsBusyTheNextRequestGetsJson503WithRetryAfterAtOnce() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(INSTANCES);
        List<CompletableFuture<PromptClient.Answer>> busy = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            busy.add(CompletableFuture.supplyAsync(() -> PromptClient.ask(nginx.url(), "Once upon a time,", allStarted)));
        }
        assertThat(allStarted.await(60, TimeUnit.SECONDS)).isTrue();
        long sent = System.nanoTime();
        PromptClient.Answer fourth = PromptClient.ask(nginx.url(), "Me too");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        assertThat(fourth.status()).as(fourth.toString()).isEqualTo(503);
        assertThat(fourth.contentType()).startsWith("application/json");
        assertThat(fourth.retryAfter()).isEqualTo("1");
        JsonNode error = JSON.readTree(fourth.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("server_busy");
        assertThat(error.path("message").asText()).contains("busy");
        assertThat(tookMillis).as("answered at once, not after a stream ended").isLessThan(1000);
        for (CompletableFuture<PromptClient.Answer> b : busy) {
            assertFull(b.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void twelveClientsRetryingAfterRetryAfterAllCompleteWithNeverMoreThanThreeStreams() throws Exception {
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger mostInFlight = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                int inFlight = 0;
                for (ServeInstance instance : instances) {
                    inFlight += PromptClient.health(instance.url()).path("inFlight").asInt();
                }
                mostInFlight.accumulateAndGet(inFlight, Math::max);
            }
        });
        sampler.start();
        AtomicInteger turnedAway = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(12);
        List<CompletableFuture<PromptClient.Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    for (int attempt = 0; attempt < 60; attempt++) {
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
                    throw new AssertionError("still turned away after 60 attempts");
                }, clients));
            }
            for (CompletableFuture<PromptClient.Answer> answer : answers) {
                assertFull(answer.get(180, TimeUnit.SECONDS));
            }
        } finally {
            sampling.set(false);
            sampler.join();
            clients.shutdownNow();
        }
        assertThat(turnedAway.get()).as("some clients had to wait and retry").isPositive();
        assertThat(mostInFlight.get()).as("streams in flight at once, summed over the instances").isBetween(2, INSTANCES);
    }
}
