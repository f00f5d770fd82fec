package dev.flowgraph.store;

import dev.flowgraph.core.store.RunRecord;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * Writes run records in batches on a thread of its own, so no request waits for the database. Whatever queued while
 * a batch was written goes in the next one; a run's start and end in the same batch become one row. While the
 * database is away, records wait (retried with a growing pause, up to {@link #MAX_WAITING}; past that the oldest are
 * dropped and counted) and go in when it answers again.
 */
final class RunWriter implements AutoCloseable {
    static final int MAX_WAITING = 20_000;
    private static final int BATCH = 500;
    /**
     * How long a record waits for others before its batch is written: a run shorter than this is written once, start
     * and end together, after its stream; a longer one's start is written while it runs, away from its first token
     * (writing at once put the database's work beside every first token: +0.75 ms with PostgreSQL on 2 cores).
     */
    private static final long GATHER_MILLIS = 100;

    private final Sql sql;
    private final StoreFaults faults;
    private final LinkedBlockingDeque<RunRecord> queue = new LinkedBlockingDeque<>(MAX_WAITING);
    private final Thread thread;
    private volatile boolean closing;

    RunWriter(Sql sql, StoreFaults faults) {
        this.sql = sql;
        this.faults = faults;
        this.thread = new Thread(this::loop, "flow-store-runs");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a record; returns at once. */
    void add(RunRecord run) {
        while (!queue.offerLast(run)) {
            if (queue.pollFirst() != null) {
                faults.dropped(1);
            }
        }
    }

    private void loop() {
        ArrayDeque<RunRecord> failed = new ArrayDeque<>();
        long pauseMillis = 250;
        while (!closing || !queue.isEmpty() || !failed.isEmpty()) {
            List<RunRecord> batch = new ArrayList<>(failed);
            failed.clear();
            try {
                if (batch.isEmpty()) {
                    RunRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    if (!closing) {
                        Thread.sleep(GATHER_MILLIS);
                    }
                }
                queue.drainTo(batch, BATCH);
                Map<String, RunRecord> latest = new LinkedHashMap<>();
                batch.forEach(r -> latest.put(r.id(), r));
                sql.transactionOrThrow(c -> {
                    SqlRunHistory.write(c, latest.values());
                    return null;
                });
                pauseMillis = 250;
            } catch (InterruptedException e) {
                failed.addAll(batch);
                if (closing) {
                    break;
                }
            } catch (SQLException | RuntimeException e) {
                faults.failed("recording " + batch.size() + " run(s)", e);
                failed.addAll(batch);
                while (failed.size() + queue.size() > MAX_WAITING) {
                    failed.pollFirst();
                    faults.dropped(1);
                }
                if (closing) {
                    break; // the database is away as we stop: what cannot be written now is lost, and counted
                }
                sleep(pauseMillis);
                pauseMillis = Math.min(pauseMillis * 2, 5_000);
            }
        }
        faults.dropped(failed.size() + queue.size());
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // closing: the loop writes what it can and ends
        }
    }

    /** Writes what is queued, for up to {@code millis}, then stops. */
    void close(long millis) {
        closing = true;
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }

    @Override
    public void close() {
        close(5_000);
    }
}
