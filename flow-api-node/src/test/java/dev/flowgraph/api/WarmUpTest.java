package dev.flowgraph.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.NodeActivityListener;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API element's warm-up after a start, with the real example flow and model: while it warms, health says
 * {@code warming} (503) and clients get 503 with Retry-After; its own requests run through the flow but are never
 * reported as runs or node activity and are logged only at DEBUG; afterwards the server is ready and serves.
 */
class WarmUpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void whileItWarmsUpClientsAreToldToRetryAndNothingOfTheWarmUpIsRecorded() throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        FlowDocument flow = StoryServer.flow(Map.of("api.port", port, "api.warmupSeconds", 1.5, "llm.maxTokens", 32));
        List<Run> runs = new CopyOnWriteArrayList<>();
        List<String> activity = new CopyOnWriteArrayList<>();
        Logger calls = (Logger) LoggerFactory.getLogger("dev.flowgraph.api.http");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        calls.addAppender(log);
        Level before = calls.getLevel();
        calls.setLevel(Level.DEBUG);
        long startedAt = System.nanoTime();
        CompletableFuture<FlowRuntime> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return FlowRuntime.start(flow, StoryServer.registry(), RuntimeOptions.serving(StoryServer.exampleFile()
                        .getParent()).withEnvironment(Map.of("FLOW_API_KEY", StoryServer.KEY)::get), rt -> {
                    rt.onRunStarted(runs::add);
                    rt.onRunFinished(runs::add);
                    rt.onNodeActivity(new NodeActivityListener() {
                        @Override
                        public void started(Run run, String nodeId) {
                            activity.add(nodeId);
                        }

                        @Override
                        public void ended(Run run, String nodeId, String error) {
                            activity.add(nodeId);
                        }
                    });
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (FlowRuntime runtime = awaitWarming(url, starting)) {
            long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
            assertThat(readyMillis).as("the warm-up takes its time before the flow reports ready").isGreaterThanOrEqualTo(1500);
            HttpResponse<String> health = health(url);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("ok");

            // The warm-up went through the flow, but no run and no node activity of it was reported.
            List<String> messages = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            String summary = messages.stream().filter(m -> m.startsWith("warm-up: ")).findFirst().orElseThrow();
            assertThat(summary).matches("warm-up: \\d+ requests in \\d+ ms \\(its time was up.*\\); ready");
            assertThat(Integer.parseInt(summary.split(" ")[1])).isGreaterThan(5);
            assertThat(log.list).filteredOn(e -> e.getFormattedMessage().endsWith("(warm-up)"))
                    .isNotEmpty().allMatch(e -> e.getLevel() == Level.DEBUG);
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO)
                    .noneMatch(e -> e.getFormattedMessage().startsWith("POST "));
            assertThat(runs).isEmpty();
            assertThat(activity).isEmpty();

            // A client now is served, and its run is reported as any other.
            HttpResponse<String> answer = Http.send(Http.post(url + "/prompt", StoryServer.KEY, Http.body("Hello")).build());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).endsWith("data: [DONE]\n\n");
            // The run is reported finished on the API element's mailbox, which may come just after the last byte.
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (runs.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(runs).hasSize(2).allMatch(r -> !r.isInternal());
            assertThat(activity).contains("llm");
        } finally {
            calls.detachAppender(log);
            calls.setLevel(before);
        }
    }

    @Test
    void withWarmUpOffTheServerIsReadyAsSoonAsTheFlowStarts() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.warmupSeconds", 0))) {
            HttpResponse<String> health = health(server.url);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("Hello")).build()).statusCode())
                    .isEqualTo(200);
            assertThat(server.finishedRuns.poll(5, TimeUnit.SECONDS).id()).as("the first run is the client's").isEqualTo(1);
        }
    }

    /**
     * Polls until the server listens and answers; checks what it says while warming (health 503 "warming", a client's
     * request 503 flow_not_running with Retry-After); returns the runtime once the start has finished.
     */
    private static FlowRuntime awaitWarming(String url, CompletableFuture<FlowRuntime> starting) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> seen = new ArrayList<>();
        boolean refusedAClient = false;
        while (!starting.isDone()) {
            assertThat(System.nanoTime()).as("the flow never started").isLessThan(deadline);
            try {
                HttpResponse<String> health = health(url);
                JsonNode status = JSON.readTree(health.body());
                seen.add(health.statusCode() + " " + status.path("status").asText());
                if (status.path("status").asText().equals("warming") && !refusedAClient) {
                    assertThat(health.statusCode()).isEqualTo(503);
                    HttpResponse<String> refused = Http.send(Http.post(url + "/prompt", StoryServer.KEY,
                            Http.body("Too early")).build());
                    if (!starting.isDone()) {
                        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
                        JsonNode error = JSON.readTree(refused.body()).path("error");
                        assertThat(error.path("type").asText()).isEqualTo("flow_not_running");
                        assertThat(error.path("message").asText()).contains("warming up");
                        refusedAClient = true;
                    }
                }
            } catch (IOException notListeningYet) {
                // the API element has not bound its port yet
            }
            Thread.sleep(10);
        }
        // Never ok before the warm-up was over (ok may show up in the moment between its end and the start's return).
        assertThat(seen).as("health while starting").contains("503 warming");
        int firstOk = seen.indexOf("200 ok");
        assertThat(firstOk == -1 || firstOk > seen.lastIndexOf("503 warming")).as(seen.toString()).isTrue();
        assertThat(refusedAClient).as("a client was turned away while warming").isTrue();
        return starting.get();
    }

    private static HttpResponse<String> health(String url) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(5)).build());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
