package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conversations and run history in the embedded SQLite store, through real {@code flow serve} processes, the real
 * model and HTTP: memory across turns and restarts, a kill in mid-stream, and the refusals.
 */
class ConversationSqliteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aConversationIsRememberedAcrossTurnsAndRestartsAndAKilledRunShowsInterrupted() throws Exception {
        Path flow = ServeInstance.memoryFlow(dir, 24, 1);
        String store = "jdbc:sqlite:" + dir.resolve("data/flowgraph.db");
        int port = Ports.free();
        List<PromptClient.Answer> turns = new ArrayList<>();
        try (ServeInstance serve = ServeInstance.start(flow, port, "--store", store, "--warmup-seconds", "0")) {
            for (int i = 1; i <= 3; i++) {
                turns.add(complete(PromptClient.say(serve.url(), "alice", "Once upon a time, turn " + i)));
            }
            for (int i = 1; i < 3; i++) {
                assertThat(turns.get(i).promptTokens()).as("turn %d sees turns 1..%d", i + 1, i)
                        .isGreaterThan(turns.get(i - 1).promptTokens() + turns.get(i - 1).tokens());
            }
            PromptClient.Answer fresh = complete(PromptClient.say(serve.url(), "bob", "Once upon a time, turn 1"));
            assertThat(fresh.promptTokens()).as("another session starts fresh").isEqualTo(turns.get(0).promptTokens());
            assertThat(fresh.text()).as("greedy: the same first turn, the same answer").isEqualTo(turns.get(0).text());

            PromptClient.Json alice = PromptClient.call(serve.url(), "GET", "/sessions/alice");
            assertThat(alice.status()).isEqualTo(200);
            assertThat(alice.body().path("messages")).hasSize(6);
            assertThat(alice.body().path("messages").get(4).path("content").asText()).isEqualTo("Once upon a time, turn 3");
            assertThat(alice.body().path("messages").get(5).path("content").asText()).isEqualTo(turns.get(2).text());

            serve.terminate(); // SIGTERM: drains and exits
            assertThat(serve.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (ServeInstance serve = ServeInstance.start(flow, port, "--store", store, "--warmup-seconds", "0")) {
            PromptClient.Answer turn4 = complete(PromptClient.say(serve.url(), "alice", "Once upon a time, turn 4"));
            assertThat(turn4.promptTokens()).as("after a restart turn 4 still sees turns 1-3")
                    .isGreaterThan(turns.get(2).promptTokens() + turns.get(2).tokens());

            // Turn 4's record is written up to 100 ms after its answer (records are batched): a kill -9 before that
            // would lose it, which is not what this test is about.
            waitForRuns(serve.url(), 5);
            // A long answer (OpenAI route, more tokens for this request), killed while it streams.
            HttpResponse<java.io.InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(serve.url() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + ServeInstance.KEY).header("Content-Type", "application/json")
                    .header("X-Session-Id", "carol")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat-memory-api\",\"stream\":true,"
                            + "\"max_tokens\":1500,\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            stream.body().read(new byte[64]);
            waitForRun(serve.url(), "carol", "running");
            serve.kill(); // SIGKILL, mid-stream
            serve.process().waitFor(10, TimeUnit.SECONDS);
        }
        try (ServeInstance serve = ServeInstance.start(flow, port, "--store", store, "--warmup-seconds", "0")) {
            JsonNode runs = PromptClient.call(serve.url(), "GET", "/runs?limit=50").body().path("runs");
            List<String> statuses = new ArrayList<>();
            runs.forEach(r -> statuses.add(r.path("status").asText()));
            assertThat(statuses).as("every finished run is there, the killed one interrupted: %s", runs)
                    .hasSize(6).containsOnlyOnce("interrupted").doesNotContain("running", "error");
            JsonNode killed = null;
            for (JsonNode r : runs) {
                if (r.path("status").asText().equals("interrupted")) {
                    killed = r;
                }
            }
            assertThat(killed.path("session").asText()).isEqualTo("carol");
            assertThat(killed.path("route").asText()).isEqualTo("POST /v1/chat/completions");
            assertThat(PromptClient.call(serve.url(), "GET", "/sessions/carol").status())
                    .as("a run that did not finish stores nothing").isEqualTo(404);
            JsonNode one = PromptClient.call(serve.url(), "GET", "/runs/" + runs.get(1).path("id").asText()).body();
            assertThat(one.path("input").get(0).path("content").asText()).isEqualTo("Once upon a time, turn 4");
            assertThat(one.path("trace").findValuesAsText("node")).contains("memory", "prompt", "llm");
            assertThat(one.path("key").asText()).isEqualTo("default");
            assertThat(one.toString()).doesNotContain(ServeInstance.KEY);

            String table = flowCommand("runs", "--store", store, "--limit", "3");
            assertThat(table.lines().findFirst().orElseThrow()).contains("ID", "STARTED", "STATUS", "SESSION");
            assertThat(table).contains("interrupted", "carol");
            String shown = flowCommand("runs", "show", one.path("id").asText(), "--store", store);
            assertThat(shown).startsWith("run " + one.path("id").asText() + " of flow 'chat-memory-api': length")
                    .contains("session alice", "user: Once upon a time, turn 4", "trace:")
                    .containsPattern("(?m)^    memory +[0-9.]+ ms .*remembered=6 messages")
                    .containsPattern("(?m)^    llm +[0-9.]+ ms .*tokens [0-9]+ in, 24 out");
        }
        try (var c = DriverManager.getConnection(store); var rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }

    @Test
    void aSessionAnswersOneRequestAtATimeRejectingOrWaiting() throws Exception {
        Path rejecting = ServeInstance.memoryFlow(dir, 16, 2);
        Path waiting = dir.resolve("waiting.flow.json");
        dev.flowgraph.core.flow.FlowFiles.save(dev.flowgraph.core.flow.FlowFiles.load(rejecting)
                .withSetting("api", "sessionBusy", "wait"), waiting);
        String store = "jdbc:sqlite:" + dir.resolve("busy.db");
        try (ServeInstance serve = ServeInstance.start(rejecting, Ports.free(), "--store", store, "--warmup-seconds", "0")) {
            HttpResponse<java.io.InputStream> first = longAnswer(serve, "busy");
            HttpResponse<String> second = post(serve.url() + "/prompt",
                    "{\"session_id\":\"busy\",\"message\":[{\"role\":\"user\",\"content\":\"and then\"}]}");
            assertThat(second.statusCode()).isEqualTo(409);
            JsonNode error = JSON.readTree(second.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("session_busy");
            assertThat(error.path("param").asText()).isEqualTo("session_id");
            assertThat(PromptClient.say(serve.url(), "other", "Once upon a time").complete())
                    .as("another session goes on meanwhile").isTrue();
            assertThat(new String(first.body().readAllBytes())).endsWith("data: [DONE]\n\n");
        }
        try (ServeInstance serve = ServeInstance.start(waiting, Ports.free(), "--store", store, "--warmup-seconds", "0")) {
            HttpResponse<java.io.InputStream> first = longAnswer(serve, "patient");
            PromptClient.Answer second = PromptClient.say(serve.url(), "patient", "and then");
            assertThat(second.complete()).as(second.toString()).isTrue();
            first.body().readAllBytes();
            JsonNode messages = PromptClient.call(serve.url(), "GET", "/sessions/patient").body().path("messages");
            assertThat(messages.findValuesAsText("content")).as("it waited for the first turn to be stored")
                    .hasSize(4).element(2).isEqualTo("and then");
        }
    }

    /** A stream of 1,500 tokens for {@code session} on the OpenAI route, its first bytes read. */
    private static HttpResponse<java.io.InputStream> longAnswer(ServeInstance serve, String session) throws Exception {
        HttpResponse<java.io.InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(serve.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + ServeInstance.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat-memory-api\",\"stream\":true,\"user\":\""
                        + session + "\",\"max_tokens\":1500,\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        stream.body().read(new byte[64]);
        return stream;
    }

    @Test
    void theRecordSettingKeepsTheTextsCutsThemOrKeepsNothing() throws Exception {
        Path base = ServeInstance.memoryFlow(dir, 24, 1);
        Map<String, Map<String, Object>> modes = new java.util.LinkedHashMap<>();
        modes.put("metadata", Map.of("record", "metadata"));
        modes.put("cut", Map.of("record", "full", "recordMaxChars", 10));
        modes.put("off", Map.of("record", "off"));
        for (var mode : modes.entrySet()) {
            dev.flowgraph.core.flow.FlowDocument flow = dev.flowgraph.core.flow.FlowFiles.load(base);
            for (var setting : mode.getValue().entrySet()) {
                flow = flow.withSetting("api", setting.getKey(), setting.getValue());
            }
            Path file = dir.resolve(mode.getKey() + ".flow.json");
            dev.flowgraph.core.flow.FlowFiles.save(flow, file);
            try (ServeInstance serve = ServeInstance.start(file, Ports.free(), "--store",
                    "jdbc:sqlite:" + dir.resolve(mode.getKey() + ".db"), "--warmup-seconds", "0")) {
                complete(PromptClient.say(serve.url(), "s-" + mode.getKey(), "Once upon a time"));
                JsonNode runs = eventuallyFinished(serve.url());
                if (mode.getKey().equals("off")) {
                    Thread.sleep(500); // longer than the writer gathers records
                    assertThat(PromptClient.call(serve.url(), "GET", "/runs").body().path("runs")).as("record: off").isEmpty();
                    continue;
                }
                JsonNode run = PromptClient.call(serve.url(), "GET", "/runs/" + runs.get(0).path("id").asText()).body();
                assertThat(run.path("usage").path("completion_tokens").asInt()).isEqualTo(24);
                assertThat(run.path("trace").findValuesAsText("node")).contains("llm");
                if (mode.getKey().equals("metadata")) {
                    assertThat(run.path("input").isNull()).as(run.toString()).isTrue();
                    assertThat(run.path("output").isNull()).as(run.toString()).isTrue();
                } else {
                    assertThat(run.path("output").asText()).hasSize(10);
                    assertThat(run.path("output_chars").asInt()).isGreaterThan(10);
                    assertThat(run.path("output_cut").asBoolean()).isTrue();
                }
            }
        }
    }

    /** The runs of an instance once its latest has finished (records are written off the request path). */
    private static JsonNode eventuallyFinished(String url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode runs = PromptClient.call(url, "GET", "/runs").body().path("runs");
        while (System.nanoTime() < deadline && (runs.isEmpty() || runs.get(0).path("status").asText().equals("running"))) {
            Thread.sleep(20);
            runs = PromptClient.call(url, "GET", "/runs").body().path("runs");
        }
        return runs;
    }

    @Test
    void badSessionsAreRefusedNamingTheField() throws Exception {
        Path flow = ServeInstance.memoryFlow(dir, 8, 1);
        try (ServeInstance serve = ServeInstance.start(flow, Ports.free(), "--store",
                "jdbc:sqlite:" + dir.resolve("bad.db"), "--warmup-seconds", "0")) {
            for (String bad : List.of("\"\"", "\"has space\"", "\"" + "x".repeat(129) + "\"", "42", "\"é\"")) {
                HttpResponse<String> r = post(serve.url() + "/prompt", "{\"session_id\":" + bad
                        + ",\"message\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).path("error").path("param").asText()).isEqualTo("session_id");
            }
            PromptClient.Json unknown = PromptClient.call(serve.url(), "GET", "/sessions/nobody");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body().path("error").path("message").asText()).contains("nobody");
            assertThat(PromptClient.call(serve.url(), "GET", "/runs?limit=0").body().path("error").path("param").asText())
                    .isEqualTo("limit");
            complete(PromptClient.say(serve.url(), "dave", "Once upon a time"));
            assertThat(PromptClient.call(serve.url(), "DELETE", "/sessions/dave").status()).isEqualTo(200);
            assertThat(PromptClient.call(serve.url(), "GET", "/sessions/dave").status()).isEqualTo(404);
            assertThat(PromptClient.call(serve.url(), "DELETE", "/sessions/dave").status()).isEqualTo(404);
            complete(PromptClient.say(serve.url(), "dave", "Once upon a time")); // still served after all that
        }
    }

    @Test
    void processesOpeningANewStoreAtOnceAllSetItUp() throws Exception {
        // As run-local.sh starts instances: each creates or migrates the schema of the same new file at the same time.
        String store = "jdbc:sqlite:" + dir.resolve("fresh/flowgraph.db");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), dev.flowgraph.cli.FlowCommand.class.getName(), "runs",
                    "--store", store).redirectErrorStream(true).start());
        }
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("no runs recorded");
        }
    }

    @Test
    void anUnreachableStoreStopsTheStartNamingItWithoutThePassword() throws Exception {
        Path flow = ServeInstance.memoryFlow(dir, 8, 1);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), dev.flowgraph.cli.FlowCommand.class.getName(), "serve",
                flow.toString(), "--port", String.valueOf(Ports.free()), "--store",
                "jdbc:postgresql://127.0.0.1:1/flowgraph?user=flow&password=S3cretPass"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FLOW_API_KEY", ServeInstance.KEY);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("jdbc:postgresql://127.0.0.1:1/flowgraph?user=flow&password=***")
                .doesNotContain("S3cretPass");
    }

    /** {@code flow ARGS...} in a process of its own; its standard output. */
    private static String flowCommand(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), dev.flowgraph.cli.FlowCommand.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static PromptClient.Answer complete(PromptClient.Answer answer) {
        assertThat(answer.complete()).as(answer.toString()).isTrue();
        return answer;
    }

    /** Waits until {@code count} runs are recorded as finished (a run's end is written up to 100 ms after it). */
    private static void waitForRuns(String url, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int finished = 0;
            for (JsonNode r : PromptClient.call(url, "GET", "/runs?limit=50").body().path("runs")) {
                finished += r.path("status").asText().equals("running") ? 0 : 1;
            }
            if (finished >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " runs were recorded as finished");
            }
            Thread.sleep(5);
        }
    }

    /** Waits until the newest run of {@code session} is recorded with {@code status}. */
    private static void waitForRun(String url, String session, String status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (JsonNode r : PromptClient.call(url, "GET", "/runs?limit=50").body().path("runs")) {
                if (r.path("session").asText().equals(session)) {
                    if (r.path("status").asText().equals(status)) {
                        return;
                    }
                    break;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no run of session " + session + " became " + status);
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("X-API-Key", ServeInstance.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
