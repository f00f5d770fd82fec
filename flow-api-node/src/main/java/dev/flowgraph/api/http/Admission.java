package dev.flowgraph.api.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many requests may stream at once (one by the API element's contract, or its {@code concurrency}); the
 * others are turned away at once. Once closed (the server is draining) it admits none.
 */
public final class Admission {
    private final Semaphore permits;
    private final int capacity;
    private volatile boolean closed;

    Admission(int capacity) {
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    boolean tryEnter() {
        if (closed || !permits.tryAcquire()) {
            return false;
        }
        if (closed) { // closed in between: the drain must not miss this one
            permits.release();
            return false;
        }
        return true;
    }

    /** Whether a slot is free now (without taking it). */
    public boolean hasFreeSlot() {
        return !closed && permits.availablePermits() > 0;
    }

    /** A slot if one is free now (for work that does not come with a request, such as a background job), or null. */
    public Ticket tryTicket() {
        return tryEnter() ? ticket() : null;
    }

    /** After a successful {@link #tryEnter()}: a handle whose release may be called more than once. */
    Ticket ticket() {
        return new Ticket();
    }

    /** Released by whichever comes first: the run's end, or the request handler finishing. */
    public final class Ticket {
        private final AtomicBoolean released = new AtomicBoolean();

        public void release() {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }

    int capacity() {
        return capacity;
    }

    int inFlight() {
        return capacity - permits.availablePermits();
    }

    /** Admits nobody from now on; requests already in keep their place. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Waits until no request is in flight, at most {@code timeout}; true when none is. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (!permits.tryAcquire(capacity, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        permits.release(capacity);
        return true;
    }
}
