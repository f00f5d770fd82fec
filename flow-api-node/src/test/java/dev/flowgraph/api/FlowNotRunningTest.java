package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.RuntimeOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the flow is not running (it is still starting: a node still loading; or it is stopping) the API element's
 * server already or still listens: {@code /health} answers 503 {@code starting} or {@code stopped}, and requests get 503
 * {@code flow_not_running} with Retry-After, in each dialect. A {@link GateNode} holds its start and stop until the
 * test lets go, keeping those moments open as long as the test needs.
 */
class FlowNotRunningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "NotRunning5";

    @Test
    void beforeTheFlowRunsAndWhileItStopsHealthIs503AndRequestsGet503FlowNotRunning() throws Exception {
        // The API element starts first (its server listens), then the gate, then the Initiator that turns the flow
        // on: until the gate has started, the flow is not running.
        startAndStop(true);
    }

    @Test
    void theInitiatorStartingBeforeAModelDoesNotMakeTheFlowReady() throws Exception {
        // Initiator, API element, gate (the example flows' order): the keep-alive is on before the gate has started,
        // and yet nothing is served (nor health ok) until it has.
        startAndStop(false);
    }

    private static void startAndStop(boolean apiFirst) throws Exception {
        GateNode gate = new GateNode();
        gate.mayStart = GateNode.hold();
        gate.mayStop = GateNode.hold();
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        FlowDocument flow = GateNode.flow(Map.of("apiKey", KEY, "port", port, "host", "127.0.0.1"), apiFirst);
        CompletableFuture<FlowRuntime> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return FlowRuntime.start(flow, StoryServer.registry(gate), RuntimeOptions.serving(Path.of(".")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        FlowRuntime runtime = null;
        try {
            HttpResponse<String> health = awaitHealth(url);
            expectNotRunning(url, health, "starting");
            assertThat(starting).as("the flow is still starting").isNotDone();

            gate.mayStart.countDown();
            runtime = starting.get(30, TimeUnit.SECONDS);
            health = health(url);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("ok");
            HttpResponse<String> answer = Http.send(Http.post(url + "/prompt", KEY, Http.body("hi")).build());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("first").contains("second").endsWith("data: [DONE]\n\n");

            FlowRuntime stopping = runtime;
            CompletableFuture<Void> closing = CompletableFuture.runAsync(stopping::close);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            do {
                health = health(url);
            } while (!JSON.readTree(health.body()).path("status").asText().equals("stopped") && System.nanoTime() < deadline);
            expectNotRunning(url, health, "stopped");
            assertThat(closing).as("the flow is still stopping").isNotDone();
            gate.mayStop.countDown();
            closing.get(30, TimeUnit.SECONDS);
            runtime = null;
        } finally {
            gate.openAll();
            if (runtime != null) {
                runtime.close();
            }
        }
    }

    @Test
    void whileAModelLoadsRequestsWaitOrAreRefusedAsTheApiElementSays() throws Exception {
        for (String setting : List.of("refuse", "wait")) {
            GateNode gate = new GateNode();
            int port = freePort();
            String url = "http://127.0.0.1:" + port;
            FlowDocument flow = GateNode.flow(Map.of("apiKey", KEY, "port", port, "host", "127.0.0.1",
                    "whileModelLoads", setting), false);
            try (FlowRuntime runtime = FlowRuntime.start(flow, StoryServer.registry(gate),
                    RuntimeOptions.serving(Path.of(".")))) {
                gate.loading = true;
                HttpResponse<String> during = Http.send(Http.post(url + "/prompt", KEY, Http.body("hi")).build());
                gate.loading = false;
                if (setting.equals("refuse")) {
                    assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
                    assertThat(during.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(JSON.readTree(during.body()).path("error").path("type").asText()).isEqualTo("model_loading");
                } else {
                    assertThat(during.statusCode()).as("the model node itself holds runs until its model serves")
                            .isEqualTo(200);
                }
                HttpResponse<String> after = Http.send(Http.post(url + "/prompt", KEY, Http.body("hi")).build());
                assertThat(after.statusCode()).isEqualTo(200);
            }
        }
    }

    private static void expectNotRunning(String url, HttpResponse<String> health, String expectedStatus)
            throws Exception {
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        JsonNode status = JSON.readTree(health.body());
        assertThat(status.path("status").asText()).isEqualTo(expectedStatus);
        assertThat(status.path("running").asBoolean()).isFalse();

        HttpResponse<String> prompt = Http.send(Http.post(url + "/prompt", KEY, Http.body("hi")).build());
        assertThat(prompt.statusCode()).as(prompt.body()).isEqualTo(503);
        assertThat(prompt.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(JSON.readTree(prompt.body()).path("error").path("type").asText()).isEqualTo("flow_not_running");

        HttpResponse<String> openAi = Http.send(Http.post(url + "/v1/chat/completions", KEY,
                "{\"model\":\"gated\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").build());
        assertThat(openAi.statusCode()).as(openAi.body()).isEqualTo(503);
        JsonNode error = JSON.readTree(openAi.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("flow_not_running");
        assertThat(error.path("message").asText()).contains("not running");
    }

    private static HttpResponse<String> health(String url) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(5)).build());
    }

    /** Waits until the server listens and answers its health check. */
    private static HttpResponse<String> awaitHealth(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return health(url);
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("the API element never listened").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
