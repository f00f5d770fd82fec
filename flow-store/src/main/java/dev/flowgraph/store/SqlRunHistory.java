package dev.flowgraph.store;

import dev.flowgraph.core.run.RunStatus;
import dev.flowgraph.core.run.Usage;
import dev.flowgraph.core.store.RunHistory;
import dev.flowgraph.core.store.RunJson;
import dev.flowgraph.core.store.RunRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Run history in the {@code runs} table; records are written by a {@link RunWriter}, never on the caller's thread. */
final class SqlRunHistory implements RunHistory {
    private static final String COLUMNS = "id, flow, route, key_name, session_id, instance, started, ended, status, "
            + "finish_reason, prompt_tokens, completion_tokens, error, input, output, output_chars, trace";

    private final Sql sql;
    private final RunWriter writer;
    private final ScheduledExecutorService maintenance;
    private final long retainEveryMillis;

    SqlRunHistory(Sql sql, RunWriter writer, ScheduledExecutorService maintenance, Duration retainEvery) {
        this.sql = sql;
        this.writer = writer;
        this.maintenance = maintenance;
        this.retainEveryMillis = retainEvery.toMillis();
    }

    @Override
    public void record(RunRecord run) {
        writer.add(run);
    }

    /** Writes records in one transaction: each one inserted, or replacing the record of the same run. */
    static void write(Connection c, Collection<RunRecord> runs) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO runs (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                + "ended = excluded.ended, status = excluded.status, finish_reason = excluded.finish_reason, "
                + "prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens, "
                + "error = excluded.error, input = excluded.input, output = excluded.output, "
                + "output_chars = excluded.output_chars, trace = excluded.trace")) {
            for (RunRecord r : runs) {
                int i = 0;
                upsert.setString(++i, r.id());
                upsert.setString(++i, r.flow());
                upsert.setString(++i, r.route());
                upsert.setString(++i, r.keyName());
                upsert.setString(++i, r.session());
                upsert.setString(++i, r.instance());
                upsert.setLong(++i, r.started());
                upsert.setLong(++i, r.ended());
                upsert.setString(++i, r.status().wireName());
                upsert.setString(++i, r.finishReason());
                upsert.setInt(++i, r.usage().promptTokens());
                upsert.setInt(++i, r.usage().completionTokens());
                upsert.setString(++i, r.error());
                if (r.input() == null) {
                    upsert.setNull(++i, Types.VARCHAR);
                } else {
                    upsert.setString(++i, RunJson.text(RunJson.messages(r.input())));
                }
                upsert.setString(++i, r.output());
                upsert.setLong(++i, r.outputChars());
                upsert.setString(++i, RunJson.text(RunJson.trace(r.trace())));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    @Override
    public List<RunRecord> list(String flow, int limit) {
        return sql.transaction("listing runs", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM runs"
                    + (flow == null ? "" : " WHERE flow = ?") + " ORDER BY started DESC, id DESC LIMIT ?")) {
                int i = 0;
                if (flow != null) {
                    q.setString(++i, flow);
                }
                q.setInt(++i, limit);
                return read(q);
            }
        });
    }

    @Override
    public Optional<RunRecord> find(String id) {
        return sql.transaction("reading run " + id, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE id = ?")) {
                q.setString(1, id);
                return read(q).stream().findFirst();
            }
        });
    }

    @Override
    public int interruptLeftovers(String instance) {
        return sql.transaction("marking interrupted runs", c -> {
            try (PreparedStatement mark = c.prepareStatement("UPDATE runs SET status = ?, finish_reason = 'error', "
                    + "ended = ?, error = ? WHERE status = ? AND instance = ?")) {
                mark.setString(1, RunStatus.INTERRUPTED.wireName());
                mark.setLong(2, System.currentTimeMillis());
                mark.setString(3, "the instance stopped while this run went on (restarted at "
                        + java.time.Instant.now() + ")");
                mark.setString(4, RunStatus.RUNNING.wireName());
                mark.setString(5, instance);
                return mark.executeUpdate();
            }
        });
    }

    @Override
    public void retain(String flow, int maxRuns, Duration maxAge, Duration sessionTtl) {
        maintenance.scheduleWithFixedDelay(() -> {
            try {
                sql.transaction("keeping the history of '" + flow + "' within bounds", c -> {
                    long now = System.currentTimeMillis();
                    try (PreparedStatement old = c.prepareStatement("DELETE FROM runs WHERE flow = ? AND started < ?")) {
                        old.setString(1, flow);
                        old.setLong(2, now - maxAge.toMillis());
                        old.executeUpdate();
                    }
                    // Everything older than the maxRuns-th newest; nothing when there are fewer.
                    try (PreparedStatement many = c.prepareStatement("DELETE FROM runs WHERE flow = ? AND started < "
                            + "(SELECT started FROM runs WHERE flow = ? ORDER BY started DESC LIMIT 1 OFFSET ?)")) {
                        many.setString(1, flow);
                        many.setString(2, flow);
                        many.setInt(3, maxRuns - 1);
                        many.executeUpdate();
                    }
                    return SqlConversations.expire(c, flow, now - sessionTtl.toMillis());
                });
            } catch (RuntimeException e) {
                // counted and logged by the store; tried again next time
            }
        }, 0, retainEveryMillis, TimeUnit.MILLISECONDS);
    }

    private static List<RunRecord> read(PreparedStatement q) throws SQLException {
        List<RunRecord> runs = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String input = rs.getString("input");
                runs.add(new RunRecord(rs.getString("id"), rs.getString("flow"), rs.getString("route"),
                        rs.getString("key_name"), rs.getString("session_id"), rs.getString("instance"),
                        rs.getLong("started"), rs.getLong("ended"), RunStatus.fromWireName(rs.getString("status")),
                        rs.getString("finish_reason"), new Usage(rs.getInt("prompt_tokens"), rs.getInt("completion_tokens")),
                        rs.getString("error"), input == null ? null : RunJson.messagesFrom(input), rs.getString("output"),
                        rs.getLong("output_chars"), RunJson.traceFrom(rs.getString("trace"))));
            }
        }
        return runs;
    }
}
