package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.core.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GridRepublic's jobs dialect ({@code gridrepublic-jobs-api.txt}) on real {@code flow serve} processes with the real
 * model: jobs run in the background in submission order, their log grows while they run, they can be cancelled, a
 * restart on SQLite fails the one it cut and runs the rest, two instances sharing PostgreSQL both take jobs and
 * either answers the poll, and our own {@code llm.gridrepublic} node uses a flow through it.
 */
class JobsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @Test
    void twentyJobsRunInOrderWithGrowingLogsAndCanBeCancelled() throws Exception {
        // Long enough that a job outlives the log's 100 ms write interval however fast the machine generates: 200
        // tokens took under 100 ms once the servers ran the quick JIT, and a log was then never seen growing.
        Path flow = ServeInstance.storyFlow(dir, 800, 1, 1);
        String store = "jdbc:sqlite:" + dir.resolve("jobs.db");
        try (ServeInstance serve = ServeInstance.start(flow, Ports.free(), "--store", store, "--warmup-seconds", "0")) {
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                prompts.add("Story number " + i + ":");
            }
            List<String> ids = submit(serve.url(), prompts);
            assertThat(ids).hasSize(20).doesNotHaveDuplicates();

            // Poll as a client would: the order in which jobs are first seen running is the submission order, and a
            // running job's log grows.
            Map<String, Integer> firstSeenRunning = new LinkedHashMap<>();
            Map<String, List<String>> logsWhileRunning = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            JsonNode jobs;
            int poll = 0;
            do {
                jobs = poll(serve.url(), ids).path("jobs");
                poll++;
                for (String id : ids) {
                    JsonNode job = jobs.path(id);
                    String status = job.path("states").path("default").path("status").asText();
                    if (status.equals("running")) {
                        firstSeenRunning.putIfAbsent(id, poll);
                        logsWhileRunning.computeIfAbsent(id, k -> new ArrayList<>())
                                .add(job.path("states").path("default").path("log").asText());
                    }
                }
            } while (!allEnded(jobs, ids) && System.nanoTime() < deadline);
            for (String id : ids) {
                JsonNode job = jobs.path(id);
                assertThat(job.path("vmStatus").asText()).as(job.toString()).isEqualTo("done");
                JsonNode state = job.path("states").path("default");
                assertThat(state.path("log").asText()).isNotBlank();
                assertThat(state.path("app").asText()).isEqualTo("gridrepublic:text-inference");
                assertThat(state.path("outputFiles").isArray()).isTrue();
                assertThat(job.path("tag").asText()).isEqualTo("story-api");
                assertThat(job.path("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
            }
            List<String> seenOrder = new ArrayList<>(firstSeenRunning.keySet());
            assertThat(seenOrder).as("jobs seen running, in order").hasSizeGreaterThan(5);
            assertThat(ids).containsSubsequence(seenOrder);
            boolean grew = logsWhileRunning.values().stream().anyMatch(logs -> logs.stream().distinct()
                    .filter(l -> !l.isEmpty()).count() >= 2);
            assertThat(grew).as("some job's log was polled growing: %s", logsWhileRunning).isTrue();

            // Cancel: the third of three queued jobs never runs; the running one stops.
            List<String> more = submit(serve.url(), List.of("One", "Two", "Three"));
            assertThat(delete(serve.url(), more.get(2)).statusCode()).isEqualTo(200);
            awaitStatus(serve.url(), more.get(0), "running");
            assertThat(delete(serve.url(), more.get(0)).statusCode()).isEqualTo(200);
            awaitStatus(serve.url(), more.get(1), "done");
            JsonNode after = poll(serve.url(), more).path("jobs");
            assertThat(after.path(more.get(0)).path("vmStatus").asText()).isEqualTo("cancelled");
            assertThat(after.path(more.get(2)).path("vmStatus").asText()).isEqualTo("cancelled");
            assertThat(after.path(more.get(2)).path("runtime").asInt()).isZero();
            HttpResponse<String> again = delete(serve.url(), more.get(1));
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(again.body()).path("success").asBoolean(true)).isFalse();

            // Refusals, in the spec's shape.
            assertRefused(post(serve.url(), "{\"app\":\"other\",\"commandLine\":\"{\\\"inputs\\\":[\\\"x\\\"]}\",\"tag\":"
                    + "\"story-api\"}", true), 400, "unknown app");
            assertRefused(post(serve.url(), "{\"app\":\"gridrepublic:text-inference\",\"commandLine\":\"not json\","
                    + "\"tag\":\"story-api\"}", true), 400, "Invalid input format");
            assertRefused(post(serve.url(), "{\"app\":\"gridrepublic:text-inference\",\"commandLine\":"
                    + "\"{\\\"inputs\\\":[]}\",\"tag\":\"story-api\"}", true), 400, "Invalid input format");
            assertRefused(post(serve.url(), "{\"app\":\"gridrepublic:text-inference\",\"commandLine\":"
                    + "\"{\\\"inputs\\\":[\\\"x\\\"]}\",\"tag\":\"gemma:2b\"}", true), 400, "names no model");
            assertRefused(post(serve.url(), "{\"app\":\"gridrepublic:text-inference\",\"commandLine\":"
                    + "\"{\\\"inputs\\\":[\\\"x\\\"]}\",\"tag\":\"story-api\"}", false), 401, "key");
            assertRefused(get(serve.url(), "/remotejobs/v2/jobs/nope," + ids.get(0)), 404, "nope");
            assertThat(PromptClient.healthCheck(serve.url()).status()).as("still serving").isEqualTo(200);
        }
    }

    @Test
    void aRestartOnSqliteFailsTheJobItCutAndRunsTheRest() throws Exception {
        Path flow = ServeInstance.storyFlow(dir, 800, 1, 1);
        String store = "jdbc:sqlite:" + dir.resolve("restart.db");
        int port = Ports.free();
        List<String> ids;
        try (ServeInstance serve = ServeInstance.start(flow, port, "--store", store, "--warmup-seconds", "0")) {
            ids = submit(serve.url(), List.of("First", "Second", "Third"));
            awaitStatus(serve.url(), ids.get(0), "running");
            serve.kill(); // SIGKILL while the first job runs
            serve.process().waitFor(10, TimeUnit.SECONDS);
        }
        try (ServeInstance serve = ServeInstance.start(flow, port, "--store", store, "--warmup-seconds", "0")) {
            awaitStatus(serve.url(), ids.get(2), "done");
            JsonNode jobs = poll(serve.url(), ids).path("jobs");
            assertThat(jobs.path(ids.get(0)).path("vmStatus").asText()).isEqualTo("failed");
            assertThat(jobs.path(ids.get(0)).path("error").asText()).contains("stopped");
            assertThat(jobs.path(ids.get(1)).path("vmStatus").asText()).isEqualTo("done");
        }
    }

    @Test
    void twoInstancesSharingPostgresBothRunJobsAndEitherAnswersThePoll() throws Exception {
        try (TestPostgres postgres = TestPostgres.start()) {
            Path flow = ServeInstance.storyFlow(dir, 300, 1, 1);
            try (ServeInstance a = ServeInstance.start(flow, Ports.free(), "--store", postgres.url(), "--warmup-seconds", "0");
                 ServeInstance b = ServeInstance.start(flow, Ports.free(), "--store", postgres.url(), "--warmup-seconds", "0")) {
                List<String> prompts = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    prompts.add("Tale " + i);
                }
                List<String> ids = submit(a.url(), prompts);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                JsonNode jobs;
                do {
                    Thread.sleep(50);
                    jobs = poll(b.url(), ids).path("jobs");
                } while (!allEnded(jobs, ids) && System.nanoTime() < deadline);
                for (String id : ids) {
                    assertThat(jobs.path(id).path("vmStatus").asText()).isEqualTo("done");
                }
                List<String> instances = new ArrayList<>();
                try (var c = DriverManager.getConnection(postgres.url());
                     var rs = c.createStatement().executeQuery("SELECT DISTINCT instance FROM jobs")) {
                    while (rs.next()) {
                        instances.add(rs.getString(1));
                    }
                }
                assertThat(instances).as("the jobs were run by both instances")
                        .containsExactlyInAnyOrder("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port());
            }
        }
    }

    @Test
    void ourGridRepublicNodeRunsAStoryThroughAFlowsJobs() throws Exception {
        Path flow = ServeInstance.storyFlow(dir, 40, 1, 1);
        FlowFiles.save(FlowFiles.load(flow).withSetting("llm", "temperature", 0.0), flow); // greedy: comparable answers
        try (ServeInstance served = ServeInstance.start(flow, Ports.free(), "--store",
                "jdbc:sqlite:" + dir.resolve("node.db"), "--warmup-seconds", "0")) {
            FlowDocument story = FlowFiles.load(TestModels.projectRoot().resolve("examples/story-api.flow.json"));
            List<NodeInstance> nodes = story.nodes().stream()
                    .map(n -> !n.id().equals("llm") ? n : new NodeInstance("llm", "llm.gridrepublic", n.position(),
                            Map.of("baseUrl", served.url() + "/remotejobs/v2", "apiKey", ServeInstance.KEY,
                                    "tag", "story-api", "pollIntervalMillis", 50)))
                    .toList();
            FlowDocument caller = new FlowDocument(story.format(), "caller", "", nodes, story.wires());
            try (FlowRuntime runtime = FlowRuntime.start(caller, NodeRegistry.discover(),
                    RuntimeOptions.inProcess(dir).withEnvironment(Map.of("FLOW_API_KEY", "unused")::get))) {
                LinkedBlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
                runtime.entry().submit(ChatRequest.ofUser("Once upon a time,"), packets::offer);
                StringBuilder text = new StringBuilder();
                int deltas = 0;
                for (Packet p = packets.poll(60, TimeUnit.SECONDS); ; p = packets.poll(60, TimeUnit.SECONDS)) {
                    assertThat(p).as("the answer arrives").isNotNull();
                    if (p instanceof Packet.Delta d) {
                        text.append((String) d.value());
                        deltas++;
                    } else {
                        assertThat(p).as(p.toString()).isInstanceOf(Packet.End.class);
                        break;
                    }
                }
                assertThat(deltas).as("the story arrives as deltas").isPositive();
                List<String> submitted = submit(served.url(), List.of("Once upon a time,"));
                awaitStatus(served.url(), submitted.get(0), "done");
                assertThat(text.toString()).isNotBlank().isEqualTo(poll(served.url(), submitted).path("jobs")
                        .path(submitted.get(0)).path("states").path("default").path("log").asText());
            }
        }
    }

    private static boolean allEnded(JsonNode jobs, List<String> ids) {
        return ids.stream().allMatch(id -> List.of("done", "failed", "cancelled")
                .contains(jobs.path(id).path("vmStatus").asText()));
    }

    private static void awaitStatus(String url, String id, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!poll(url, List.of(id)).path("jobs").path(id).path("vmStatus").asText().equals(status)) {
            assertThat(System.nanoTime()).as("job %s became %s", id, status).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static List<String> submit(String url, List<String> prompts) throws Exception {
        String commandLine = JSON.writeValueAsString(Map.of("inputs", prompts));
        String body = JSON.writeValueAsString(Map.of("app", "gridrepublic:text-inference", "commandLine", commandLine,
                "tag", "story-api"));
        HttpResponse<String> answer = post(url, body, true);
        JsonNode json = JSON.readTree(answer.body());
        assertThat(json.path("success").asBoolean()).as(answer.body()).isTrue();
        List<String> ids = new ArrayList<>();
        json.path("ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private static JsonNode poll(String url, List<String> ids) throws Exception {
        HttpResponse<String> answer = get(url, "/remotejobs/v2/jobs/" + String.join(",", ids));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(answer.body());
        assertThat(json.path("success").asBoolean()).isTrue();
        return json;
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String says) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode json = JSON.readTree(answer.body());
        assertThat(json.path("success").isBoolean() && !json.path("success").asBoolean()).as(answer.body()).isTrue();
        assertThat(json.path("error").asText()).contains(says);
    }

    private static HttpResponse<String> post(String url, String body, boolean withKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/remotejobs/v2/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (withKey) {
            b.header("Authorization", "Bearer " + ServeInstance.KEY);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer "
                + ServeInstance.KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> delete(String url, String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/remotejobs/v2/jobs/" + id)).header("Authorization",
                "Bearer " + ServeInstance.KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
