package dev.flowgraph.core.store;

import dev.flowgraph.core.chat.ChatMessage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link Store#NONE}: every session is new and empty, nothing is recorded. */
final class NoStore implements Store, Conversations, RunHistory {

    @Override
    public boolean isEnabled() {
        return false;
    }

    @Override
    public String location() {
        return "none";
    }

    @Override
    public Conversations conversations() {
        return this;
    }

    @Override
    public RunHistory runs() {
        return this;
    }

    @Override
    public Jobs jobs() {
        throw new UnsupportedOperationException("jobs are kept in a store: serve the flow with one (--store)");
    }

    @Override
    public StoreHealth health() {
        return new StoreHealth(true, 0, 0);
    }

    @Override
    public void close() {
    }

    @Override
    public boolean tryTake(String flow, String session, String holder, Duration hold) {
        return true;
    }

    @Override
    public void release(String flow, String session, String holder) {
    }

    @Override
    public List<ChatMessage> recent(String flow, String session, int limit) {
        return List.of();
    }

    @Override
    public CompletableFuture<Void> append(String flow, String session, List<ChatMessage> messages) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Optional<Session> find(String flow, String session) {
        return Optional.empty();
    }

    @Override
    public boolean delete(String flow, String session) {
        return false;
    }

    @Override
    public void record(RunRecord run) {
    }

    @Override
    public List<RunRecord> list(String flow, int limit) {
        return List.of();
    }

    @Override
    public Optional<RunRecord> find(String id) {
        return Optional.empty();
    }

    @Override
    public int interruptLeftovers(String instance) {
        return 0;
    }

    @Override
    public void retain(String flow, int maxRuns, Duration maxAge, Duration sessionTtl) {
    }
}
