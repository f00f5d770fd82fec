package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.cli.FlowCommand;
import dev.flowgraph.cli.nginx.NginxConfig;
import dev.flowgraph.core.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One PostgreSQL (Debian's, started on a throwaway data directory) shared by {@code flow serve} instances behind
 * NGINX: a conversation goes on whichever instance answers, sessions never mix, and a database that goes away
 * breaks no stream.
 */
class SharedStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sessions and turns of the isolation test; the bench profile runs the 50 sessions over 200 turns. */
    private static final int SESSIONS = Integer.getInteger("store.sessions", 12);
    private static final int TURNS = Integer.getInteger("store.turns", 36);

    @TempDir
    static Path dir;
    private static TestPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theNextTurnOnAnotherInstanceRecallsTheFirst() throws Exception {
        Path flow = ServeInstance.memoryFlow(dir, 16, 1);
        int base = Ports.freeRun(2);
        try (ServeInstance a = ServeInstance.start(flow, base, "--store", postgres.url(), "--warmup-seconds", "0");
             ServeInstance b = ServeInstance.start(flow, base + 1, "--store", postgres.url(), "--warmup-seconds", "0");
             Nginx nginx = Nginx.start(dir, new NginxConfig(2, base, "127.0.0.1", Ports.free(), 1, 1))) {
            List<PromptClient.Answer> turns = new ArrayList<>();
            List<String> servedBy = new ArrayList<>();
            for (int i = 1; i <= 6 && (servedBy.size() < 2 || new HashSet<>(servedBy).size() < 2); i++) {
                PromptClient.Answer turn = PromptClient.say(nginx.url(), "shared", "Once upon a time, turn " + i);
                assertThat(turn.complete()).as(turn.toString()).isTrue();
                turns.add(turn);
                servedBy.add(eventually(a.url(), turns.size()).get(0).path("instance").asText());
            }
            assertThat(new HashSet<>(servedBy)).as("NGINX sent the turns to both instances: %s", servedBy)
                    .containsExactlyInAnyOrder("127.0.0.1:" + base, "127.0.0.1:" + (base + 1));
            for (int i = 1; i < turns.size(); i++) {
                assertThat(turns.get(i).promptTokens()).as("turn %d (on %s) sees the turns before it", i + 1, servedBy.get(i))
                        .isGreaterThan(turns.get(i - 1).promptTokens() + turns.get(i - 1).tokens());
            }
            // A third process lists the runs of both instances from the same database.
            Process runs = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), FlowCommand.class.getName(), "runs", "--store", postgres.url(),
                    "--json", "--limit", "100").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(runs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(runs.waitFor(60, TimeUnit.SECONDS)).isTrue();
            Set<String> instances = new HashSet<>();
            int sessionRuns = 0;
            for (String line : out.strip().split("\n")) {
                JsonNode run = JSON.readTree(line);
                assertThat(run.has("id") && run.has("flow") && run.has("status") && run.has("started")
                        && run.has("usage")).as(line).isTrue();
                if (run.path("session").asText().equals("shared")) {
                    sessionRuns++;
                    instances.add(run.path("instance").asText());
                    assertThat(run.path("status").asText()).isIn("ok", "length");
                }
            }
            assertThat(sessionRuns).isEqualTo(turns.size());
            assertThat(instances).hasSize(2);
        }
    }

    @Test
    void aDatabaseThatGoesAwayBreaksNoStreamAndRecordingResumes() throws Exception {
        Path flow = ServeInstance.memoryFlow(dir, 16, 1);
        try (ServeInstance serve = ServeInstance.start(flow, Ports.free(), "--store", postgres.url(), "--warmup-seconds", "0",
                "--metrics")) {
            assertThat(PromptClient.say(serve.url(), "before", "Once upon a time").complete()).isTrue();
            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(serve.url() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + ServeInstance.KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat-memory-api\",\"stream\":true,"
                            + "\"max_tokens\":1500,\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] first = new byte[32];
            stream.body().read(first);
            postgres.stopServer();
            try {
                String rest = new String(stream.body().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(rest).as("the stream in flight completes").endsWith("data: [DONE]\n\n");
                for (int i = 0; i < 3; i++) {
                    PromptClient.Answer during = PromptClient.say(serve.url(), "during", "Once upon a time " + i);
                    assertThat(during.complete()).as("served while the database is away: " + during).isTrue();
                    assertThat(PromptClient.ask(serve.url(), "Once upon a time").complete()).isTrue();
                }
                JsonNode health = PromptClient.health(serve.url());
                assertThat(health.path("status").asText()).isEqualTo("ok");
                assertThat(health.path("store").path("failures").asLong()).as(health.toString()).isPositive();
                assertThat(health.path("store").path("available").asBoolean()).isFalse();
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serve.url() + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).containsPattern("(?m)^flowgraph_store_failures_total [1-9]")
                        .containsPattern("(?m)^flowgraph_store_available 0");
            } finally {
                postgres.startServer();
            }
            PromptClient.Answer after = PromptClient.say(serve.url(), "after", "Once upon a time");
            assertThat(after.complete()).isTrue();
            // Everything this instance answered meanwhile is recorded once the database is back: 1 + 1 + 6 + 1 runs.
            String instance = "127.0.0.1:" + serve.port();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<JsonNode> runs = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                runs.clear();
                PromptClient.call(serve.url(), "GET", "/runs?limit=1000").body().path("runs").forEach(r -> {
                    if (r.path("instance").asText().equals(instance)) {
                        runs.add(r);
                    }
                });
                if (runs.size() >= 9) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(runs).as("runs recorded after the outage: %s", runs).hasSize(9);
            assertThat(runs.get(0).path("session").asText()).isEqualTo("after");
            assertThat(runs).allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("length"));
            assertThat(PromptClient.health(serve.url()).path("store").path("available").asBoolean()).isTrue();
        }
    }

    @Test
    void concurrentSessionsNeverSeeEachOthersMessages() throws Exception {
        Path flow = ServeInstance.memoryFlow(dir, 12, 2);
        int base = Ports.freeRun(2);
        try (ServeInstance a = ServeInstance.start(flow, base, "--store", postgres.url(), "--warmup-seconds", "0");
             ServeInstance b = ServeInstance.start(flow, base + 1, "--store", postgres.url(), "--warmup-seconds", "0");
             Nginx nginx = Nginx.start(dir, new NginxConfig(2, base, "127.0.0.1", Ports.free(), 2, 1))) {
            Map<String, List<String[]>> said = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(SESSIONS);
            List<Future<?>> sessions = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                String session = "iso-" + s;
                int turns = TURNS / SESSIONS + (s < TURNS % SESSIONS ? 1 : 0);
                sessions.add(clients.submit(() -> {
                    List<String[]> exchanged = new ArrayList<>();
                    for (int t = 0; t < turns; t++) {
                        String text = "Session " + session + " turn " + t + ": once upon a time";
                        PromptClient.Answer answer;
                        do {
                            answer = PromptClient.say(nginx.url(), session, text);
                            if (answer.status() == 503) {
                                Thread.sleep(20);
                            }
                        } while (answer.status() == 503);
                        assertThat(answer.complete()).as(answer.toString()).isTrue();
                        exchanged.add(new String[]{text, answer.text()});
                    }
                    said.put(session, exchanged);
                    return null;
                }));
            }
            for (Future<?> f : sessions) {
                f.get(10, TimeUnit.MINUTES);
            }
            clients.shutdown();
            for (var entry : said.entrySet()) {
                JsonNode messages = PromptClient.call(a.url(), "GET", "/sessions/" + entry.getKey()).body().path("messages");
                List<String[]> exchanged = entry.getValue();
                assertThat(messages).as(entry.getKey()).hasSize(2 * exchanged.size());
                for (int t = 0; t < exchanged.size(); t++) {
                    assertThat(messages.get(2 * t).path("content").asText()).isEqualTo(exchanged.get(t)[0]);
                    assertThat(messages.get(2 * t + 1).path("content").asText()).as("%s turn %d", entry.getKey(), t)
                            .isEqualTo(exchanged.get(t)[1]);
                }
            }
        }
    }

    /** The {@code n} newest runs, once the instance has recorded that many (records are written off the request path). */
    private static List<JsonNode> eventually(String url, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            JsonNode runs = PromptClient.call(url, "GET", "/runs?limit=" + n).body().path("runs");
            List<JsonNode> done = new ArrayList<>();
            runs.forEach(r -> {
                if (!r.path("status").asText().equals("running")) {
                    done.add(r);
                }
            });
            if (done.size() >= n || System.nanoTime() > deadline) {
                return done;
            }
            Thread.sleep(20);
        }
    }
}
