package dev.flowgraph.core.store;

import dev.flowgraph.core.chat.ChatMessage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The messages of each conversation (session) of a flow. A session is named by its client and belongs to one flow:
 * two flows may use the same id without meeting. Reads and {@link #tryTake} wait for the database (they come before
 * a run); appends do not.
 *
 * @see Store#conversations()
 */
public interface Conversations {

    /**
     * Takes {@code session} for the run {@code holder} until {@link #release} or until {@code hold} has passed (a
     * process that died lets go so), whichever instance asks: only one run of a session goes at a time.
     *
     * @return false when another run holds it
     * @throws StoreUnavailableException when the database cannot say
     */
    boolean tryTake(String flow, String session, String holder, Duration hold);

    /** Lets go of a session taken by {@code holder} (nothing when another holds it now). */
    void release(String flow, String session, String holder);

    /**
     * The last {@code limit} messages of a session, oldest first; empty for a session not seen before.
     *
     * @throws StoreUnavailableException when the database cannot say
     */
    List<ChatMessage> recent(String flow, String session, int limit);

    /**
     * Adds messages at the end of a session (creating it); the future completes once they are stored, or
     * exceptionally when they could not be.
     */
    CompletableFuture<Void> append(String flow, String session, List<ChatMessage> messages);

    /** A whole session, or empty when there is none (never started, deleted or expired). */
    Optional<Session> find(String flow, String session);

    /** Deletes a session and its messages; false when there was none. */
    boolean delete(String flow, String session);

    /**
     * One stored conversation.
     *
     * @param created  epoch milliseconds of its first message
     * @param updated  epoch milliseconds of its last message
     */
    record Session(String flow, String id, long created, long updated, List<ChatMessage> messages) {
        public Session {
            messages = List.copyOf(messages);
        }
    }
}
