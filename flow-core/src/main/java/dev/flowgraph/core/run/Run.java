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
    private volatile String cancelReason;

    Run(long id, long timeoutNanos) {
        this(id, timeoutNanos, false);
    }

    Run(long id, long timeoutNanos, boolean internal) {
        this.id = id;
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
