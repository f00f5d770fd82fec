package dev.flowgraph.store;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.Role;
import dev.flowgraph.core.store.Conversations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Conversations in the {@code sessions} and {@code session_messages} tables. */
final class SqlConversations implements Conversations {
    private final Sql sql;
    /** One thread: a session's appends are stored in the order they were made. */
    private final ExecutorService appends;

    SqlConversations(Sql sql, ExecutorService appends) {
        this.sql = sql;
        this.appends = appends;
    }

    @Override
    public boolean tryTake(String flow, String session, String holder, Duration hold) {
        long now = System.currentTimeMillis();
        return sql.transaction("taking session " + session, c -> {
            ensureSession(c, flow, session, now);
            try (PreparedStatement take = c.prepareStatement("UPDATE sessions SET held_by = ?, held_until = ? "
                    + "WHERE flow = ? AND id = ? AND (held_by IS NULL OR held_by = ? OR held_until < ?)")) {
                take.setString(1, holder);
                take.setLong(2, now + hold.toMillis());
                take.setString(3, flow);
                take.setString(4, session);
                take.setString(5, holder);
                take.setLong(6, now);
                return take.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void release(String flow, String session, String holder) {
        sql.transaction("releasing session " + session, c -> {
            try (PreparedStatement release = c.prepareStatement("UPDATE sessions SET held_by = NULL, held_until = NULL "
                    + "WHERE flow = ? AND id = ? AND held_by = ?")) {
                release.setString(1, flow);
                release.setString(2, session);
                release.setString(3, holder);
                return release.executeUpdate();
            }
        });
    }

    @Override
    public List<ChatMessage> recent(String flow, String session, int limit) {
        return sql.transaction("reading session " + session, c -> {
            List<ChatMessage> newestFirst = new ArrayList<>();
            try (PreparedStatement read = c.prepareStatement("SELECT role, content FROM session_messages "
                    + "WHERE flow = ? AND session_id = ? ORDER BY seq DESC LIMIT ?")) {
                read.setString(1, flow);
                read.setString(2, session);
                read.setInt(3, limit);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        newestFirst.add(message(rs));
                    }
                }
            }
            Collections.reverse(newestFirst);
            return newestFirst;
        });
    }

    @Override
    public CompletableFuture<Void> append(String flow, String session, List<ChatMessage> messages) {
        List<ChatMessage> copy = List.copyOf(messages);
        return CompletableFuture.runAsync(() -> sql.transaction("storing a turn of session " + session, c -> {
            long now = System.currentTimeMillis();
            ensureSession(c, flow, session, now);
            long seq;
            try (PreparedStatement last = c.prepareStatement(
                    "SELECT COALESCE(MAX(seq), 0) FROM session_messages WHERE flow = ? AND session_id = ?")) {
                last.setString(1, flow);
                last.setString(2, session);
                try (ResultSet rs = last.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO session_messages "
                    + "(flow, session_id, seq, role, content, created) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (ChatMessage m : copy) {
                    insert.setString(1, flow);
                    insert.setString(2, session);
                    insert.setLong(3, ++seq);
                    insert.setString(4, m.role().wireName());
                    insert.setString(5, m.content());
                    insert.setLong(6, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement touch = c.prepareStatement("UPDATE sessions SET updated = ? WHERE flow = ? AND id = ?")) {
                touch.setLong(1, now);
                touch.setString(2, flow);
                touch.setString(3, session);
                touch.executeUpdate();
            }
            return null;
        }), appends);
    }

    @Override
    public Optional<Session> find(String flow, String session) {
        return sql.transaction("reading session " + session, c -> {
            long created;
            long updated;
            try (PreparedStatement head = c.prepareStatement(
                    "SELECT created, updated FROM sessions WHERE flow = ? AND id = ?")) {
                head.setString(1, flow);
                head.setString(2, session);
                try (ResultSet rs = head.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    created = rs.getLong(1);
                    updated = rs.getLong(2);
                }
            }
            List<ChatMessage> messages = new ArrayList<>();
            try (PreparedStatement read = c.prepareStatement("SELECT role, content FROM session_messages "
                    + "WHERE flow = ? AND session_id = ? ORDER BY seq")) {
                read.setString(1, flow);
                read.setString(2, session);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        messages.add(message(rs));
                    }
                }
            }
            // A session taken by a run that stored nothing (it failed) holds no conversation yet.
            return messages.isEmpty() ? Optional.empty() : Optional.of(new Session(flow, session, created, updated, messages));
        });
    }

    @Override
    public boolean delete(String flow, String session) {
        return sql.transaction("deleting session " + session, c -> {
            int messages = deleteWhere(c, "DELETE FROM session_messages WHERE flow = ? AND session_id = ?", flow, session);
            deleteWhere(c, "DELETE FROM sessions WHERE flow = ? AND id = ?", flow, session);
            return messages > 0; // a session whose runs stored nothing was never a conversation
        });
    }

    /** Deletes the conversations of {@code flow} untouched since {@code before} (epoch ms) and not held by a run. */
    static int expire(Connection c, String flow, long before) throws SQLException {
        try (PreparedStatement messages = c.prepareStatement("DELETE FROM session_messages WHERE flow = ? AND session_id IN "
                + "(SELECT id FROM sessions WHERE flow = ? AND updated < ? AND held_by IS NULL)")) {
            messages.setString(1, flow);
            messages.setString(2, flow);
            messages.setLong(3, before);
            messages.executeUpdate();
        }
        try (PreparedStatement sessions = c.prepareStatement(
                "DELETE FROM sessions WHERE flow = ? AND updated < ? AND held_by IS NULL")) {
            sessions.setString(1, flow);
            sessions.setLong(2, before);
            return sessions.executeUpdate();
        }
    }

    private static int deleteWhere(Connection c, String statement, String flow, String session) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(statement)) {
            delete.setString(1, flow);
            delete.setString(2, session);
            return delete.executeUpdate();
        }
    }

    private static void ensureSession(Connection c, String flow, String session, long now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO sessions (flow, id, created, updated) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (flow, id) DO NOTHING")) {
            insert.setString(1, flow);
            insert.setString(2, session);
            insert.setLong(3, now);
            insert.setLong(4, now);
            insert.executeUpdate();
        }
    }

    private static ChatMessage message(ResultSet rs) throws SQLException {
        return new ChatMessage(Role.fromWireName(rs.getString(1)).orElse(Role.USER), rs.getString(2));
    }
}
