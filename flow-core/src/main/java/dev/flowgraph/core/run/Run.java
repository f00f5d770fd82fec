package dev.flowgraph.core.run;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One request going through the flow (an HTTP call, a CLI prompt): its id, cancellation, deadline and trace.
 * Packets carry their run, so node code reads these without any lookup.
 */
public final class Run {
    private static final java.util.concurrent.atomic.AtomicLong CHILD_IDS = new java.util.concurrent.atomic.AtomicLong();
    private final long id;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final RunTrace trace;
    private final RunProgress progress = new RunProgress();
    private final List<Runnable> cancelListeners = new CopyOnWriteArrayList<>();
    private final boolean internal;
    private final Run parent;
    private final String session;
    private final List<java.util.function.Function<RunOutcome, java.util.concurrent.CompletionStage<?>>> finishHooks =
            new CopyOnWriteArrayList<>();
    private final java.util.concurrent.CompletableFuture<RunOutcome> finished = new java.util.concurrent.CompletableFuture<>();
    private volatile java.util.concurrent.CompletableFuture<Void> finishWork;
    private volatile String cancelReason;

    Run(long id, long timeoutNanos) {
        this(id, timeoutNanos, false);
    }

    Run(long id, long timeoutNanos, boolean internal) {
        this(id, timeoutNanos, internal, null);
    }

    Run(long id, long timeoutNanos, boolean internal, String session) {
        this.id = id;
        this.session = session;
        this.deadlineNanos = timeoutNanos <= 0 ? Long.MAX_VALUE : startNanos + timeoutNanos;
        this.internal = internal;
        this.parent = null;
        this.trace = new RunTrace(startNanos);
    }

    private Run(Run parent, long id, String tracePrefix) {
        this.id = id;
        this.deadlineNanos = parent.deadlineNanos;
        this.internal = parent.internal;
        this.parent = parent;
        this.session = parent.session;
        this.trace = parent.trace.scoped(tracePrefix);
    }

    /**
     * A run inside this one, for the work of a sub-flow (once per call, or once per loop item): cancelled with this
     * run, bound by its deadline, and traced into this run's trace with every node id prefixed by
     * {@code tracePrefix} (such as {@code "story/"} or {@code "each[2]/"}).
     */
    public Run child(String tracePrefix) {
        Run child = new Run(this, CHILD_IDS.incrementAndGet(), tracePrefix);
        onCancel(() -> child.cancel(cancelReason));
        return child;
    }

    /** The run this one is part of (see {@link #child}), or null for a run of its own. */
    public Run parent() {
        return parent;
    }

    /** A run outside any flow, for using a node's parts on their own (a benchmark, a test). */
    public static Run detached() {
        return new Run(-1, 0);
    }

    public long id() {
        return id;
    }

    /**
     * Whether the flow made this run for itself (the API element's warm-up): run and activity listeners never hear
     * of it, so nothing records, shows or counts it.
     */
    public boolean isInternal() {
        return internal;
    }

    public long startNanos() {
        return startNanos;
    }

    public RunTrace trace() {
        return trace;
    }

    /**
     * The conversation this run belongs to (a client's {@code session_id}), or null for a stateless run. A sub-flow's
     * runs belong to their caller's.
     */
    public String session() {
        return session;
    }

    /**
     * Runs {@code hook} once when the run's answer is complete (see {@link #finish}); the run's ending is held back
     * from its client until every stage a hook returns has completed (or the entry node stops waiting), so work
     * that the next request of the same conversation depends on, such as storing this turn, is done first. Called on
     * the thread that calls {@link #finish} (the entry node's mailbox): start slow work elsewhere and return its stage.
     */
    public void onFinish(java.util.function.Function<RunOutcome, java.util.concurrent.CompletionStage<?>> hook) {
        finishHooks.add(hook);
    }

    /**
     * The entry node reports how the run ended, once (later calls change nothing). Returns when the hooks have been
     * called; the future completes when the work they started has.
     */
    public java.util.concurrent.CompletableFuture<Void> finish(RunOutcome outcome) {
        synchronized (this) {
            if (finishWork != null) {
                return finishWork;
            }
            finishWork = new java.util.concurrent.CompletableFuture<>();
        }
        finished.complete(outcome);
        List<java.util.concurrent.CompletableFuture<?>> stages = new java.util.ArrayList<>();
        for (var hook : finishHooks) {
            try {
                java.util.concurrent.CompletionStage<?> stage = hook.apply(outcome);
                if (stage != null) {
                    stages.add(stage.toCompletableFuture());
                }
            } catch (RuntimeException e) {
                stages.add(java.util.concurrent.CompletableFuture.failedFuture(e));
            }
        }
        java.util.concurrent.CompletableFuture.allOf(stages.toArray(java.util.concurrent.CompletableFuture[]::new))
                .whenComplete((ok, error) -> finishWork.complete(null));
        return finishWork;
    }

    /** The work the finish hooks started, or null while the run has not finished. */
    public java.util.concurrent.CompletableFuture<Void> finishWork() {
        return finishWork;
    }

    /** How the run ended, once its entry node has {@linkplain #finish finished} it; else null. */
    public RunOutcome outcome() {
        return finished.getNow(null);
    }

    /** Counters of a long run (files, chunks) that nodes update as they go. */
    public RunProgress progress() {
        return progress;
    }

    /** True once cancelled, or once the deadline has passed (which cancels the run). */
    public boolean isCancelled() {
        if (cancelReason != null) {
            return true;
        }
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            cancel("deadline passed");
            return true;
        }
        return false;
    }

    public String cancelReason() {
        return cancelReason;
    }

    /** Cancels the run (idempotent) and tells every listener, on the calling thread. */
    public void cancel(String reason) {
        synchronized (this) {
            if (cancelReason != null) {
                return;
            }
            cancelReason = reason;
        }
        for (Runnable listener : cancelListeners) {
            listener.run();
        }
    }

    /** Runs {@code listener} when the run is cancelled; at once if it already is. */
    public void onCancel(Runnable listener) {
        cancelListeners.add(listener);
        if (cancelReason != null && cancelListeners.remove(listener)) {
            listener.run();
        }
    }

    @Override
    public String toString() {
        return "run-" + id;
    }
}
