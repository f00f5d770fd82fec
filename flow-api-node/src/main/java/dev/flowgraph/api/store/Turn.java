package dev.flowgraph.api.store;

import dev.flowgraph.core.store.Conversations;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's run as the store sees it: the id its history record has and, when it continues a conversation,
 * the hold it has on that session (let go once, by {@link #release}).
 */
public final class Turn {
    private final String id;
    private final String flow;
    private final String session;
    private final Conversations heldIn;
    private final long startedMillis = System.currentTimeMillis();
    private final AtomicBoolean released = new AtomicBoolean();

    Turn(String id, String flow, String session, Conversations heldIn) {
        this.id = id;
        this.flow = flow;
        this.session = session;
        this.heldIn = heldIn;
    }

    public String id() {
        return id;
    }

    /** The session it continues, or null. */
    public String session() {
        return session;
    }

    long startedMillis() {
        return startedMillis;
    }

    /** Whether this turn holds its session until it ends: its ending then waits for the turn to be stored. */
    public boolean holdsSession() {
        return heldIn != null;
    }

    /** Lets go of the session, once (a store that is away keeps it until the hold passes). */
    public void release() {
        if (heldIn != null && released.compareAndSet(false, true)) {
            try {
                heldIn.release(flow, session, id);
            } catch (RuntimeException e) {
                // counted and logged by the store; the hold passes by itself
            }
        }
    }
}
