package dev.flowgraph.nodes.flows;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.RuntimeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP request node against a service on loopback: JSON and text answers, errors, timeouts, and a key kept secret. */
class HttpRequestContractTest {
    private static final String KEY = "sk-test-9f8e7d6c5b4a";

    @TempDir
    Path dir;
    private HttpServer service;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        service.setExecutor(Executors.newCachedThreadPool());
        service.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
            String answer;
            int status = 200;
            switch (exchange.getRequestURI().getPath()) {
                case "/json" -> answer = "{\"echo\": " + body + ", \"items\": [1, 2]}";
                case "/text" -> answer = "plain answer";
                case "/broken" -> {
                    status = 500;
                    answer = "internal error; you sent Authorization: " + exchange.getRequestHeaders().getFirst("Authorization")
                            + " and " + KEY.toUpperCase() + " is not " + KEY;
                }
                case "/slow" -> {
                    try {
                        Thread.sleep(3000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    answer = "late";
                }
                default -> {
                    status = 404;
                    answer = "no";
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        service.start();
    }

    @AfterEach
    void stop() {
        service.stop(0);
    }

    private FlowCall flow(String path, String method, String answer, double timeout) throws Exception {
        Path file = TestGraphs.flow("http")
                .node("in", "flow.input")
                .node("call", "http.request", "method", method, "url", "http://127.0.0.1:"
                        + service.getAddress().getPort() + path + "?q={{input}}", "body", "{\"question\": {{json}}}",
                        "headers", List.of("Authorization: Bearer ${env:SERVICE_KEY}"), "answer", answer,
                        "timeoutSeconds", timeout)
                .node("out", "flow.output", "dataType", answer.equals("json") ? "json" : "text")
                .wire("in.value -> call.input").wire("call.response -> out.value")
                .save(dir, "http.flow.json");
        FlowRuntime runtime = FlowRuntime.start(FlowFiles.load(file), NodeRegistry.discover(),
                RuntimeOptions.inProcess(dir).withEnvironment(name -> name.equals("SERVICE_KEY") ? KEY : null));
        return FlowCall.of(runtime);
    }

    @Test
    void aJsonAnswerGoesOnAsJsonAndTheValueGoesIntoUrlAndBody() throws Exception {
        try (FlowCall flow = flow("/json", "POST", "json", 5)) {
            FlowCall.Result result = flow.call(Map.of("input", "a cat & a dog"));
            JsonNode answer = (JsonNode) result.value("output");
            assertThat(answer.get("echo").get("question").asText()).isEqualTo("a cat & a dog");
            assertThat(answer.get("items").size()).isEqualTo(2);
            assertThat(requests.get(0)).startsWith("POST /json?q=a%20cat%20%26%20a%20dog Bearer " + KEY + " ");
        }
    }

    @Test
    void aTextAnswerGoesOnAsText() throws Exception {
        try (FlowCall flow = flow("/text", "GET", "text", 5)) {
            assertThat(flow.call(Map.of("input", "x")).value("output")).isEqualTo("plain answer");
            assertThat(requests.get(0)).endsWith(" ").as("GET sends no body").startsWith("GET /text?q=x");
        }
    }

    @Test
    void aServerErrorFailsTheRunWithStatusAndExcerptButNeverTheKey() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (FlowCall flow = flow("/broken", "POST", "json", 5)) {
            Packet end = flow.call(Map.of("input", "x")).end("output");
            String message = ((Packet.Failure) end).message();
            assertThat(message).startsWith("POST http://127.0.0.1:" + service.getAddress().getPort()
                    + "/broken answered HTTP 500: internal error; you sent Authorization: [header value]");
            assertThat(message).doesNotContain(KEY);
        } finally {
            root.detachAppender(logs);
        }
        synchronized (logs) {
            assertThat(logs.list).isNotEmpty();
            assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(KEY));
        }
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeFailsTheRun() throws Exception {
        try (FlowCall flow = flow("/slow", "GET", "text", 0.3)) {
            long start = System.nanoTime();
            Packet end = flow.call(Map.of("input", "x")).end("output");
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.5);
            assertThat(((Packet.Failure) end).message()).endsWith("/slow failed: no answer within 0.3 s");
        }
    }
}
