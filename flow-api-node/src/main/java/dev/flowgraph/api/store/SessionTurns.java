package dev.flowgraph.api.store;

import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.store.StoreUnavailableException;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;

/**
 * Starts each request's {@link Turn}: one run of a session at a time, across every instance sharing the store. A
 * request for a session that is still answering another gets 409 at once, or waits for it (the {@code sessionBusy}
 * setting). A store that is away does not stop the request: it is served without the session's hold.
 */
public final class SessionTurns {
    private static final Logger log = LoggerFactory.getLogger(SessionTurns.class);
    public static final String SESSION_BUSY = "session_busy";

    private final Store store;
    private final String flow;
    private final boolean wait;
    private final Duration waitAtMost;
    private final Duration hold;

    /**
     * @param runTimeout the longest a run may take (0: none); a session is held that long at the most, so the hold of
     *                   an instance that died passes by itself
     */
    public SessionTurns(Store store, String flow, boolean wait, Duration waitAtMost, Duration runTimeout) {
        this.store = store;
        this.flow = flow;
        this.wait = wait;
        this.waitAtMost = waitAtMost;
        this.hold = (runTimeout.isZero() ? Duration.ofHours(1) : runTimeout).plusSeconds(30);
    }

    /** A turn for {@code request}, or null when its session is busy (then answer {@link #refuse}). */
    public Turn begin(ChatRequest request) throws InterruptedException {
        String id = UUID.randomUUID().toString();
        String session = request.session();
        if (session == null || !store.isEnabled()) {
            return new Turn(id, flow, session, null);
        }
        long deadline = System.nanoTime() + (wait ? waitAtMost.toNanos() : 0);
        while (true) {
            try {
                if (store.conversations().tryTake(flow, session, id, hold)) {
                    return new Turn(id, flow, session, store.conversations());
                }
            } catch (StoreUnavailableException e) {
                log.debug("session {} served without a hold: {}", session, e.getMessage());
                return new Turn(id, flow, session, null);
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            Thread.sleep(25);
        }
    }

    /** The 409 for a request whose session is busy. */
    public static void refuse(HttpServerExchange exchange, String session) {
        ApiErrors.send(exchange, 409, SESSION_BUSY, "the session '" + session + "' is still answering another "
                + "request; send this one when that has finished (one request of a session at a time)", "session_id");
    }
}
