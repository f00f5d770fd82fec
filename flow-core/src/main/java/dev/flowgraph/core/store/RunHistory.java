package dev.flowgraph.core.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The record of every run a served flow answered. {@link #record} never waits for the database: records are written
 * in batches off the request path, and kept for a while (then counted as dropped) while the database is away.
 *
 * @see Store#runs()
 */
public interface RunHistory {

    /**
     * Queues a run's record: once when it starts (status {@code running}) and once when it ends; the later one
     * replaces the earlier. Returns at once.
     */
    void record(RunRecord run);

    /**
     * Runs newest first.
     *
     * @param flow  only this flow's, or every flow's when null
     * @param limit at most this many
     */
    List<RunRecord> list(String flow, int limit);

    Optional<RunRecord> find(String id);

    /**
     * Marks {@code interrupted} the runs an earlier process at {@code instance} left {@code running} (it died while
     * they ran); returns how many there were. Called as an instance starts, before it takes requests.
     */
    int interruptLeftovers(String instance);

    /**
     * Keeps a flow's history within bounds, from now on and in the background: at most {@code maxRuns} runs, none
     * older than {@code maxAge}; and its conversations no longer than {@code sessionTtl} after their last message.
     */
    void retain(String flow, int maxRuns, Duration maxAge, Duration sessionTtl);
}
