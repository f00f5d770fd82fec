package dev.flowgraph.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.RuntimeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LocalLab and GridRepublic example flows, served by their real API element: a client's POST /prompt streams
 * the answer of a loopback stand-in that speaks the service's documented format, and a client that hangs up
 * ends the remote call.
 */
class RemoteExampleFlowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer standIn = standIn();

    private static HttpServer standIn() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.setExecutor(Executors.newCachedThreadPool());
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        standIn.stop(0);
    }

    private String standInUrl(String path) {
        return "http://127.0.0.1:" + standIn.getAddress().getPort() + path;
    }

    private static FlowRuntime serve(String file, String baseUrl) throws Exception {
        FlowDocument flow = FlowFiles.load(Path.of(file))
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("remote", "baseUrl", baseUrl);
        return FlowRuntime.start(flow, NodeRegistry.discover(), RuntimeOptions.serving(Path.of("").toAbsolutePath())
                .withEnvironment(Map.of("FLOW_API_KEY", "ExampleKey1", "GRIDREPUBLIC_TOKEN", "GridToken2")::get));
    }

    private static HttpResponse<InputStream> prompt(FlowRuntime runtime, String text) throws Exception {
        String url = ((ApiElementNode) runtime.entry()).server().url() + "/prompt";
        String body = JSON.createObjectNode().set("message", JSON.createArrayNode().add(
                JSON.createObjectNode().put("role", "user").put("content", text))).toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-API-Key", "ExampleKey1").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    /** The answer's pieces as /prompt streamed them, up to {@code data: [DONE]}. */
    private static List<String> pieces(HttpResponse<InputStream> response) throws IOException {
        List<String> pieces = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.equals("data: [DONE]")) {
                    return pieces;
                }
                if (line.startsWith("data: ")) {
                    JsonNode event = JSON.readTree(line.substring(6));
                    assertThat(event.has("error")).as(line).isFalse();
                    String content = event.path("choices").path(0).path("message").path("content").asText();
                    if (!content.isEmpty()) {
                        pieces.add(content);
                    }
                }
            }
        }
        throw new AssertionError("the stream ended without [DONE] after " + pieces);
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static OutputStream startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    @Test
    void theLocalLabExampleStreamsLocalLabsTokensToTheClient() throws Exception {
        standIn.createContext("/chat", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String asked = body.path("messages").path(0).path("content").asText();
            try (exchange) {
                OutputStream out = startStream(exchange);
                for (String token : List.of("You", " said", ": " + asked)) {
                    write(out, "data: " + token + "\n\n");
                }
                write(out, "data: [DONE]\n\n");
            }
        });
        try (FlowRuntime runtime = serve("locallab-chat.flow.json", standInUrl(""))) {
            List<String> pieces = pieces(prompt(runtime, "Once upon a time,"));
            assertThat(pieces).containsExactly("You", " said", ": Once upon a time,");
        }
    }

    @Test
    void aClientThatHangsUpEndsTheLocalLabCall() throws Exception {
        CompletableFuture<Void> standInSawClose = new CompletableFuture<>();
        CountDownLatch streaming = new CountDownLatch(1);
        standIn.createContext("/chat", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try (exchange) {
                OutputStream out = startStream(exchange);
                for (int i = 0; i < 400; i++) {
                    write(out, "data:  word" + i + "\n\n");
                    streaming.countDown();
                    Thread.sleep(25);
                }
            } catch (IOException e) {
                standInSawClose.complete(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (FlowRuntime runtime = serve("locallab-chat.flow.json", standInUrl(""))) {
            HttpResponse<InputStream> response = prompt(runtime, "go on forever");
            assertThat(streaming.await(10, TimeUnit.SECONDS)).isTrue();
            response.body().readNBytes(64); // the answer has started
            response.body().close();
            standInSawClose.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theGridRepublicExampleStreamsTheJobsGrowingLog() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        List<String> logs = List.of("", "1+1=2.", "1+1=2. In binary,", "1+1=2. In binary, 1+1=10.");
        List<JsonNode> submissions = new ArrayList<>();
        standIn.createContext("/remotejobs/v2/jobs", exchange -> {
            try (exchange) {
                String reply;
                if (exchange.getRequestMethod().equals("POST")) {
                    submissions.add(JSON.readTree(exchange.getRequestBody()));
                    reply = "{\"success\":true,\"ids\":[\"job42\"]}";
                } else {
                    int n = Math.min(polls.getAndIncrement(), logs.size() - 1);
                    String status = n == logs.size() - 1 ? "completed" : "running";
                    reply = "{\"success\":true,\"jobs\":{\"job42\":{\"vmStatus\":\"" + status + "\",\"states\":{\"default\":"
                            + "{\"status\":\"" + status + "\",\"outputFiles\":[],\"log\":\"" + logs.get(n) + "\"}}}}}";
                }
                byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        FlowDocument asShipped = FlowFiles.load(Path.of("gridrepublic-job.flow.json"));
        assertThat(asShipped.node("remote").orElseThrow().settings().get("apiKey")).isEqualTo("${env:GRIDREPUBLIC_TOKEN}");
        try (FlowRuntime runtime = serve("gridrepublic-job.flow.json", standInUrl("/remotejobs/v2"))) {
            long start = System.nanoTime();
            List<String> pieces = pieces(prompt(runtime, "When does 1+1=10?"));
            assertThat(pieces).containsExactly("1+1=2.", " In binary,", " 1+1=10.");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
        }
        assertThat(JSON.readTree(submissions.get(0).path("commandLine").asText()).path("inputs").path(0).asText())
                .isEqualTo("When does 1+1=10?");
    }
}
