package dev.flowgraph.store;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.RunStatus;
import dev.flowgraph.core.run.Usage;
import dev.flowgraph.core.store.RunRecord;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.store.StoreUnavailableException;
import dev.flowgraph.core.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's contract on both databases: the same calls, the same answers. */
class JdbcStoreTest {
    private static TestPostgres postgres;

    @TempDir
    Path dir;

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
    void schemaVersionIsTheNewestMigrations() throws Exception {
        try (var files = java.nio.file.Files.list(Path.of("src/main/resources/db/migration"))) {
            String newest = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")))
                    .max(java.util.Comparator.comparingInt(Integer::parseInt)).orElseThrow();
            assertThat(JdbcStore.SCHEMA_VERSION).as("JdbcStore.SCHEMA_VERSION, bumped with each migration")
                    .isEqualTo(newest);
        }
    }

    @Test
    void aStoreWhoseSchemaIsBehindIsMigratedAgainOnOpen() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("behind.db");
        JdbcStore.open(url).close();
        try (var c = DriverManager.getConnection(url); var st = c.createStatement()) {
            // As if the file had been made by a release before V1: no schema, no history.
            st.execute("DROP TABLE runs");
            st.execute("DROP TABLE jobs");
            st.execute("DROP TABLE session_messages");
            st.execute("DROP TABLE sessions");
            st.execute("DELETE FROM flyway_schema_history");
        }
        try (Store store = JdbcStore.open(url)) {
            exercise(store);
        }
    }

    @Test
    void sqliteQueuesJobs() throws Exception {
        try (Store store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("jobs.db"))) {
            exerciseJobs(store.jobs());
        }
    }

    @Test
    void postgresQueuesJobsAndHandsEachToOneClaimerAtATime() throws Exception {
        try (Store store = JdbcStore.open(postgres.url())) {
            exerciseJobs(store.jobs());
            // Four claimers at once over 40 jobs: each job is run once, none waits on another's lock.
            List<String> ids = store.jobs().submit("claims", "app", "tag", "{}", java.util.Collections.nCopies(40, "p"));
            java.util.Set<String> claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger twice = new java.util.concurrent.atomic.AtomicInteger();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<?>> claimers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String instance = "i" + t;
                claimers.add(pool.submit(() -> {
                    for (var job = store.jobs().claimNext("claims", instance); job.isPresent();
                         job = store.jobs().claimNext("claims", instance)) {
                        if (!claimed.add(job.get().id())) {
                            twice.incrementAndGet();
                        }
                    }
                }));
            }
            for (var c : claimers) {
                c.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(twice).hasValue(0);
            assertThat(claimed).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    /** The job queue's contract, the same on both databases. */
    private static void exerciseJobs(dev.flowgraph.core.store.Jobs jobs) {
        List<String> ids = jobs.submit("f", "gridrepublic:text-inference", "f", "{\"inputs\":[\"a\",\"b\",\"c\"]}",
                List.of("a", "b", "c"));
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(jobs.hasQueued("f")).isTrue();
        assertThat(jobs.hasQueued("other-flow")).isFalse();
        assertThat(jobs.find("f", List.of(ids.get(2), "unknown", ids.get(0)))).extracting(j -> j.prompt())
                .containsExactly("c", "a");
        assertThat(jobs.find("other-flow", ids)).as("a flow sees its own jobs only").isEmpty();

        var first = jobs.claimNext("f", "A").orElseThrow();
        assertThat(first.prompt()).as("oldest first, in submission order").isEqualTo("a");
        assertThat(first.status()).isEqualTo(dev.flowgraph.core.store.Jobs.Status.RUNNING);
        assertThat(first.instance()).isEqualTo("A");
        assertThat(jobs.progress(first.id(), "Once")).isTrue();
        assertThat(jobs.find("f", List.of(first.id())).get(0).log()).isEqualTo("Once");
        jobs.finish(first.id(), dev.flowgraph.core.store.Jobs.Status.DONE, "Once upon", null);
        var done = jobs.find("f", List.of(first.id())).get(0);
        assertThat(done.status()).isEqualTo(dev.flowgraph.core.store.Jobs.Status.DONE);
        assertThat(done.log()).isEqualTo("Once upon");
        assertThat(done.endedMillis()).isGreaterThanOrEqualTo(done.startedMillis());

        var second = jobs.claimNext("f", "A").orElseThrow();
        assertThat(second.prompt()).isEqualTo("b");
        assertThat(jobs.cancel("f", second.id())).isTrue();
        assertThat(jobs.progress(second.id(), "more")).as("a cancelled job tells its runner to stop").isFalse();
        jobs.finish(second.id(), dev.flowgraph.core.store.Jobs.Status.DONE, "more", null);
        assertThat(jobs.find("f", List.of(second.id())).get(0).status()).as("cancelled stays cancelled")
                .isEqualTo(dev.flowgraph.core.store.Jobs.Status.CANCELLED);
        assertThat(jobs.cancel("f", second.id())).as("already ended").isFalse();

        var third = jobs.claimNext("f", "B").orElseThrow();
        assertThat(jobs.claimNext("f", "B")).as("nothing left queued").isEmpty();
        assertThat(jobs.hasQueued("f")).isFalse();
        assertThat(jobs.recoverLeftovers("f", "B", true)).as("B died while running it: queued again").isEqualTo(1);
        assertThat(jobs.claimNext("f", "C").orElseThrow().id()).isEqualTo(third.id());
        assertThat(jobs.recoverLeftovers("f", "C", false)).isEqualTo(1);
        var failed = jobs.find("f", List.of(third.id())).get(0);
        assertThat(failed.status()).isEqualTo(dev.flowgraph.core.store.Jobs.Status.FAILED);
        assertThat(failed.error()).contains("stopped");
    }

    @Test
    void sqliteKeepsSessionsAndRuns() throws Exception {
        try (Store store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("data/flowgraph.db"))) {
            exercise(store);
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/flowgraph.db"));
             var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void postgresKeepsSessionsAndRuns() throws Exception {
        try (Store store = JdbcStore.open(postgres.url())) {
            exercise(store);
        }
    }

    @Test
    void reopeningKeepsWhatWasStoredAndMigratesOnce() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("again.db");
        try (Store store = JdbcStore.open(url)) {
            store.conversations().append("f", "s1", List.of(ChatMessage.user("hi"), ChatMessage.assistant("ho")))
                    .get(5, TimeUnit.SECONDS);
        }
        try (Store store = JdbcStore.open(url)) {
            assertThat(store.conversations().recent("f", "s1", 10)).extracting(ChatMessage::content)
                    .containsExactly("hi", "ho");
        }
    }

    @Test
    void retentionKeepsTheNewestRunsAndForgetsIdleSessions() throws Exception {
        try (Store store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("retain.db"))) {
            long t0 = System.currentTimeMillis();
            for (int i = 0; i < 5; i++) {
                store.runs().record(record("r" + i, "kept", t0 + i, t0 + i + 1, RunStatus.OK, "i:1", List.of()));
            }
            store.runs().record(record("other", "elsewhere", t0, t0 + 1, RunStatus.OK, "i:1", List.of()));
            store.conversations().append("kept", "idle", List.of(ChatMessage.user("hi"))).get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.runs().list(null, 10).size() < 6 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(5);
            store.runs().retain("kept", 2, Duration.ofDays(30), Duration.ofMillis(1));
            while (store.runs().list("kept", 10).size() > 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.runs().list("kept", 10)).extracting(RunRecord::id).containsExactly("r4", "r3");
            assertThat(store.runs().list("elsewhere", 10)).as("another flow's history is its own").hasSize(1);
            assertThat(store.conversations().find("kept", "idle")).as("idle past its TTL").isEmpty();
        }
    }

    @Test
    void anUnreachableDatabaseIsNamedWithoutItsPassword() {
        assertThatThrownBy(() -> JdbcStore.open("jdbc:postgresql://127.0.0.1:1/none?user=u&password=Sekr3t"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/none?user=u&password=***")
                .hasMessageNotContaining("Sekr3t");
        assertThatThrownBy(() -> JdbcStore.open("mysql://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:sqlite:FILE");
    }

    private static void exercise(Store store) throws Exception {
        var conversations = store.conversations();
        assertThat(conversations.recent("story", "alice", 10)).isEmpty();
        assertThat(conversations.tryTake("story", "alice", "run-1", Duration.ofMinutes(1))).isTrue();
        assertThat(conversations.tryTake("story", "alice", "run-2", Duration.ofMinutes(1))).as("held by run-1").isFalse();
        assertThat(conversations.tryTake("story", "bob", "run-2", Duration.ofMinutes(1))).as("another session").isTrue();
        conversations.append("story", "alice", List.of(ChatMessage.user("one"), ChatMessage.assistant("two")))
                .get(5, TimeUnit.SECONDS);
        conversations.release("story", "alice", "run-1");
        assertThat(conversations.tryTake("story", "alice", "run-3", Duration.ofMillis(1))).isTrue();
        Thread.sleep(5);
        assertThat(conversations.tryTake("story", "alice", "run-4", Duration.ofMinutes(1)))
                .as("a hold that has passed is let go").isTrue();
        conversations.append("story", "alice", List.of(ChatMessage.user("three"), ChatMessage.assistant("four")))
                .get(5, TimeUnit.SECONDS);
        assertThat(conversations.recent("story", "alice", 3)).extracting(ChatMessage::content)
                .containsExactly("two", "three", "four");
        assertThat(conversations.recent("other-flow", "alice", 10)).as("sessions belong to their flow").isEmpty();
        assertThat(conversations.find("story", "alice")).get().satisfies(s ->
                assertThat(s.messages()).hasSize(4));
        assertThat(conversations.find("story", "bob")).as("taken, but nothing stored").isEmpty();
        assertThat(conversations.delete("story", "alice")).isTrue();
        assertThat(conversations.delete("story", "alice")).isFalse();
        assertThat(conversations.find("story", "alice")).isEmpty();

        var runs = store.runs();
        long t0 = System.currentTimeMillis();
        NodeTrace llm = new NodeTrace("llm", 1_000_000, 9_000_000, 5, 40, null, Map.of("branch", "story"));
        runs.record(record("a", "story", t0, 0, RunStatus.RUNNING, "inst:1", List.of()));
        runs.record(record("a", "story", t0, t0 + 9, RunStatus.OK, "inst:1", List.of(llm)));
        runs.record(record("b", "story", t0 + 1, 0, RunStatus.RUNNING, "inst:1", List.of()));
        runs.record(record("c", "other", t0 + 2, 0, RunStatus.RUNNING, "inst:2", List.of()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runs.list(null, 10).size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(runs.list(null, 10)).extracting(RunRecord::id).containsExactly("c", "b", "a");
        assertThat(runs.list("story", 10)).extracting(RunRecord::id).containsExactly("b", "a");
        RunRecord a = runs.find("a").orElseThrow();
        assertThat(a.status()).isEqualTo(RunStatus.OK);
        assertThat(a.usage()).isEqualTo(new Usage(5, 40));
        assertThat(a.input()).extracting(ChatMessage::content).containsExactly("hello");
        assertThat(a.trace()).singleElement().satisfies(t -> {
            assertThat(t.nodeId()).isEqualTo("llm");
            assertThat(t.tokensOut()).isEqualTo(40);
            assertThat(t.notes()).containsEntry("branch", "story");
        });
        assertThat(runs.interruptLeftovers("inst:1")).as("b was left running by inst:1").isEqualTo(1);
        assertThat(runs.find("b").orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(runs.find("c").orElseThrow().status()).as("another instance's").isEqualTo(RunStatus.RUNNING);
        assertThat(store.health().failures()).isZero();
    }

    private static RunRecord record(String id, String flow, long started, long ended, RunStatus status, String instance,
                                    List<NodeTrace> trace) {
        return new RunRecord(id, flow, "POST /prompt", "default", null, instance, started, ended, status,
                status == RunStatus.RUNNING ? null : "stop", status == RunStatus.OK ? new Usage(5, 40) : Usage.NONE,
                null, List.of(ChatMessage.user("hello")), "once", 4, trace);
    }
}
