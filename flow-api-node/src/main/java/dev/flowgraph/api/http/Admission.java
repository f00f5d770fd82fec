package dev.flowgraph.api.http;

import java.util.concurrent.Semaphore;

/** How many requests may stream at once (one, by the API element's contract); the others are turned away at once. */
public final class Admission {
    private final Semaphore permits;
    private final int capacity;

    Admission(int capacity) {
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    boolean tryEnter() {
        return permits.tryAcquire();
    }

    /** After a successful {@link #tryEnter()}: a handle whose release may be called more than once. */
    Ticket ticket() {
        return new Ticket();
    }

    /** Released by whichever comes first: the run's end, or the request handler finishing. */
    public final class Ticket {
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        public void release() {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }

    int inFlight() {
        return capacity - permits.availablePermits();
    }
}
