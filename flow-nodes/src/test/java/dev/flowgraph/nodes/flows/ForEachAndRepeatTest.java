package dev.flowgraph.nodes.flows;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.value.Values;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** For each keeps item order whatever finishes first; Repeat stops on its condition or its guard. */
class ForEachAndRepeatTest {
    @TempDir
    Path dir;
    private HttpServer slow;
    private final List<String> finished = new CopyOnWriteArrayList<>();

    /** Answers /sleep?ms=N after N ms with "slept N", noting the order answers finish in. */
    @BeforeEach
    void startSlowService() throws Exception {
        slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/sleep", exchange -> {
            String ms = exchange.getRequestURI().getQuery().replace("ms=", "");
            try {
                Thread.sleep(Long.parseLong(ms));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("slept " + ms).getBytes(StandardCharsets.UTF_8);
            finished.add(ms);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.start();
    }

    @AfterEach
    void stop() {
        slow.stop(0);
    }

    private Path forEach(String sub, int concurrency, String onError) throws Exception {
        return TestGraphs.flow("each")
                .node("items", "flow.input", "name", "items", "dataType", "json")
                .node("each", "flow.foreach", "flow", sub, "concurrency", concurrency, "onError", onError)
                .node("results", "flow.output", "name", "results", "dataType", "json")
                .node("text", "flow.output", "name", "text")
                .wire("items.value -> each.items").wire("each.results -> results.value").wire("each.text -> text.value")
                .save(dir, "each.flow.json");
    }

    @Test
    void resultsKeepItemOrderWhenALaterItemFinishesFirst() throws Exception {
        TestGraphs.flow("sleep").node("in", "flow.input")
                .node("call", "http.request", "url", "http://127.0.0.1:" + slow.getAddress().getPort()
                        + "/sleep?ms={{input}}", "answer", "text")
                .node("out", "flow.output").wire("in.value -> call.input").wire("call.response -> out.value")
                .save(dir, "sleep.flow.json");
        try (FlowCall flow = FlowCall.start(forEach("sleep.flow.json", 2, "fail"))) {
            FlowCall.Result result = flow.call(Map.of("items", Values.parse("[\"400\", \"10\", \"20\"]")));
            assertThat(finished.subList(0, 2)).as("item 2 finished before item 1").containsExactly("10", "20");
            assertThat(result.value("results").toString()).isEqualTo("[\"slept 400\",\"slept 10\",\"slept 20\"]");
            assertThat((String) result.value("text"))
                    .isEqualTo("## 400\n\nslept 400\n\n## 10\n\nslept 10\n\n## 20\n\nslept 20");
            assertThat(result.run().trace().node("each[0]/call")).isPresent();
        }
    }

    private void parseSubFlow() throws Exception {
        TestGraphs.flow("parse").node("in", "flow.input")
                .node("parse", "json.parse").node("pick", "json.pick", "pointer", "/n")
                .node("out", "flow.output").wire("in.value -> parse.text").wire("parse.json -> pick.json")
                .wire("pick.value -> out.value")
                .save(dir, "parse.flow.json");
    }

    @Test
    void aFailedItemFailsTheRunNamingItsIndexOrIsReportedInPlace() throws Exception {
        parseSubFlow();
        JsonNode items = Values.parse("[\"{\\\"n\\\": 1}\", \"not json\", \"{\\\"n\\\": 3}\"]");
        try (FlowCall flow = FlowCall.start(forEach("parse.flow.json", 2, "fail"))) {
            Packet end = flow.call(Map.of("items", items)).end("results");
            assertThat(end).isInstanceOf(Packet.Failure.class);
            assertThat(((Packet.Failure) end).message()).startsWith("item at index 1 (not json) failed: not JSON at line 1");
        }
        try (FlowCall flow = FlowCall.start(forEach("parse.flow.json", 2, "report"))) {
            JsonNode results = (JsonNode) flow.call(Map.of("items", items)).value("results");
            assertThat(results.get(0).asText()).isEqualTo("1");
            assertThat(results.get(1).get("error").asText()).startsWith("not JSON at line 1");
            assertThat(results.get(2).asText()).isEqualTo("3");
        }
    }

    @Test
    void anEmptyListAndAHundredItemsThroughATrivialSubFlow() throws Exception {
        TestGraphs.flow("echo").node("in", "flow.input").node("out", "flow.output").wire("in.value -> out.value")
                .save(dir, "echo.flow.json");
        try (FlowCall flow = FlowCall.start(forEach("echo.flow.json", 4, "fail"))) {
            assertThat(flow.call(Map.of("items", Values.parse("[]"))).value("results").toString()).isEqualTo("[]");
            StringBuilder list = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                list.append(i == 0 ? "" : ",").append('"').append("item ").append(i).append('"');
            }
            JsonNode results = (JsonNode) flow.call(Map.of("items", Values.parse(list + "]"))).value("results");
            assertThat(results).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(results.get(i).asText()).isEqualTo("item " + i);
            }
        }
    }

    private Path repeat(String until, int max) throws Exception {
        TestGraphs.flow("grow").node("in", "flow.input").node("more", "text.template", "template", "{{x}}a")
                .node("out", "flow.output").wire("in.value -> more.x").wire("more.out -> out.value")
                .save(dir, "grow.flow.json");
        return TestGraphs.flow("repeat").node("in", "flow.input")
                .node("loop", "flow.repeat", "flow", "grow.flow.json", "until", until, "maxIterations", max)
                .node("out", "flow.output").wire("in.value -> loop.value").wire("loop.value -> out.value")
                .save(dir, "repeat.flow.json");
    }

    @Test
    void repeatStopsWhenItsConditionHolds() throws Exception {
        try (FlowCall flow = FlowCall.start(repeat("length >= 5", 10))) {
            FlowCall.Result result = flow.call(Map.of("input", "a"));
            assertThat(result.value("output")).isEqualTo("aaaaa");
            assertThat(result.run().trace().node("loop").orElseThrow().notes())
                    .containsEntry("iterations", "4").containsEntry("stopped", "condition held");
            assertThat(result.run().trace().node("loop#4/more")).isPresent();
        }
    }

    @Test
    void repeatStopsAtMaxIterationsAndSaysSo() throws Exception {
        try (FlowCall flow = FlowCall.start(repeat("length >= 100", 3))) {
            FlowCall.Result result = flow.call(Map.of("input", "a"));
            assertThat(result.value("output")).isEqualTo("aaaa");
            assertThat(result.run().trace().node("loop").orElseThrow().notes())
                    .containsEntry("iterations", "3").containsEntry("stopped", "maxIterations (3) reached");
        }
    }
}
