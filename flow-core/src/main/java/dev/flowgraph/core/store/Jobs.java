package dev.flowgraph.core.store;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Background jobs (GridRepublic's jobs dialect): work submitted now, run later by whichever instance has a free slot,
 * polled from any instance. The database is the queue: {@link #claimNext} hands each queued job to exactly one
 * instance, oldest first. Implemented by the flow-store module; {@link Store#NONE} keeps none.
 */
public interface Jobs {

    /** A job's life: {@code queued → running → done | failed | cancelled}. */
    enum Status {
        QUEUED, RUNNING, DONE, FAILED, CANCELLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }

        public boolean isFinal() {
            return this == DONE || this == FAILED || this == CANCELLED;
        }
    }

    /**
     * One job as stored.
     *
     * @param commandLine the submission's commandLine, as it came
     * @param prompt      the one input of that commandLine this job runs
     * @param log         the answer so far
     * @param instance    the instance running it, or that ran it; null while queued
     */
    record Job(String id, String flow, String app, String tag, String commandLine, String prompt, Status status,
               String log, long createdMillis, long startedMillis, long endedMillis, String instance, String error) {
    }

    /** Queues one job per prompt, in their order; returns their ids. */
    List<String> submit(String flow, String app, String tag, String commandLine, List<String> prompts);

    /** The jobs of {@code flow} among {@code ids}, in the order asked (unknown ids left out). */
    List<Job> find(String flow, List<String> ids);

    /** Whether a job of {@code flow} is queued: a read, so that an instance takes a slot only for a job. */
    boolean hasQueued(String flow);

    /** The oldest queued job of {@code flow}, now running on {@code instance}; empty when none is queued. */
    Optional<Job> claimNext(String flow, String instance);

    /** The answer so far of a running job; false when the job is no longer running (cancelled): stop it. */
    boolean progress(String id, String log);

    /** Ends a running job (a job cancelled meanwhile stays cancelled). */
    void finish(String id, Status status, String log, String error);

    /** Cancels a queued or running job; false when it had ended already (or is unknown). */
    boolean cancel(String flow, String id);

    /**
     * Jobs an earlier process of {@code instance} was running when it died: failed, or queued again when
     * {@code requeue} is true. Returns how many.
     */
    int recoverLeftovers(String flow, String instance, boolean requeue);
}
