package dev.flowgraph.store;

import dev.flowgraph.core.store.Jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Jobs in the {@code jobs} table. A claim is one statement that moves the oldest queued job to running: on
 * PostgreSQL the job is picked {@code FOR UPDATE SKIP LOCKED}, so instances claiming at once take different jobs
 * without waiting on each other; SQLite has one writer at a time, which makes the same statement safe.
 */
final class SqlJobs implements Jobs {
    private static final String COLUMNS = "id, flow, app, tag, command_line, prompt, status, log, created, started, "
            + "ended, instance, error";

    private final Sql sql;
    private final boolean postgres;

    SqlJobs(Sql sql, boolean postgres) {
        this.sql = sql;
        this.postgres = postgres;
    }

    @Override
    public List<String> submit(String flow, String app, String tag, String commandLine, List<String> prompts) {
        long now = System.currentTimeMillis();
        return sql.transaction("submitting " + prompts.size() + " job(s)", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (id, flow, app, tag, command_line, "
                    + "prompt, status, log, created, position, started, ended) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, 0, 0)")) {
                for (int i = 0; i < prompts.size(); i++) {
                    String id = UUID.randomUUID().toString().replace("-", "");
                    insert.setString(1, id);
                    insert.setString(2, flow);
                    insert.setString(3, app);
                    insert.setString(4, tag);
                    insert.setString(5, commandLine);
                    insert.setString(6, prompts.get(i));
                    insert.setString(7, Status.QUEUED.wireName());
                    insert.setLong(8, now);
                    insert.setInt(9, i);
                    insert.addBatch();
                    ids.add(id);
                }
                insert.executeBatch();
            }
            return ids;
        });
    }

    @Override
    public List<Job> find(String flow, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return sql.transaction("reading " + ids.size() + " job(s)", c -> {
            Map<String, Job> found = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE flow = ? AND id IN ("
                    + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")")) {
                q.setString(1, flow);
                for (int i = 0; i < ids.size(); i++) {
                    q.setString(i + 2, ids.get(i));
                }
                for (Job job : read(q)) {
                    found.put(job.id(), job);
                }
            }
            return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
        });
    }

    @Override
    public boolean hasQueued(String flow) {
        return sql.transaction("looking for queued jobs", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM jobs WHERE flow = ? AND status = ? LIMIT 1")) {
                q.setString(1, flow);
                q.setString(2, Status.QUEUED.wireName());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Optional<Job> claimNext(String flow, String instance) {
        return sql.transaction("claiming a job", c -> {
            try (PreparedStatement claim = c.prepareStatement("UPDATE jobs SET status = ?, started = ?, instance = ? "
                    + "WHERE id = (SELECT id FROM jobs WHERE flow = ? AND status = ? ORDER BY created, position LIMIT 1"
                    + (postgres ? " FOR UPDATE SKIP LOCKED" : "") + ") AND status = ? RETURNING " + COLUMNS)) {
                claim.setString(1, Status.RUNNING.wireName());
                claim.setLong(2, System.currentTimeMillis());
                claim.setString(3, instance);
                claim.setString(4, flow);
                claim.setString(5, Status.QUEUED.wireName());
                claim.setString(6, Status.QUEUED.wireName());
                return read(claim).stream().findFirst();
            }
        });
    }

    @Override
    public boolean progress(String id, String log) {
        return sql.transaction("writing a job's log", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE jobs SET log = ? WHERE id = ? AND status = ?")) {
                update.setString(1, log);
                update.setString(2, id);
                update.setString(3, Status.RUNNING.wireName());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void finish(String id, Status status, String log, String error) {
        sql.transaction("ending a job", c -> {
            try (PreparedStatement end = c.prepareStatement("UPDATE jobs SET status = ?, log = ?, error = ?, ended = ? "
                    + "WHERE id = ? AND status = ?")) {
                end.setString(1, status.wireName());
                end.setString(2, log);
                end.setString(3, error);
                end.setLong(4, System.currentTimeMillis());
                end.setString(5, id);
                end.setString(6, Status.RUNNING.wireName());
                return end.executeUpdate();
            }
        });
    }

    @Override
    public boolean cancel(String flow, String id) {
        return sql.transaction("cancelling job " + id, c -> {
            try (PreparedStatement cancel = c.prepareStatement("UPDATE jobs SET status = ?, ended = ? WHERE flow = ? "
                    + "AND id = ? AND status IN (?, ?)")) {
                cancel.setString(1, Status.CANCELLED.wireName());
                cancel.setLong(2, System.currentTimeMillis());
                cancel.setString(3, flow);
                cancel.setString(4, id);
                cancel.setString(5, Status.QUEUED.wireName());
                cancel.setString(6, Status.RUNNING.wireName());
                return cancel.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int recoverLeftovers(String flow, String instance, boolean requeue) {
        return sql.transaction("recovering the jobs of an earlier process", c -> {
            try (PreparedStatement update = c.prepareStatement(requeue
                    ? "UPDATE jobs SET status = ?, log = '', started = 0, instance = NULL WHERE flow = ? AND instance = ? AND status = ?"
                    : "UPDATE jobs SET status = ?, ended = ?, error = 'the instance running it stopped' WHERE flow = ? "
                    + "AND instance = ? AND status = ?")) {
                int i = 1;
                update.setString(i++, (requeue ? Status.QUEUED : Status.FAILED).wireName());
                if (!requeue) {
                    update.setLong(i++, System.currentTimeMillis());
                }
                update.setString(i++, flow);
                update.setString(i++, instance);
                update.setString(i, Status.RUNNING.wireName());
                return update.executeUpdate();
            }
        });
    }

    private static List<Job> read(PreparedStatement q) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                jobs.add(new Job(rs.getString("id"), rs.getString("flow"), rs.getString("app"), rs.getString("tag"),
                        rs.getString("command_line"), rs.getString("prompt"), Status.fromWireName(rs.getString("status")),
                        rs.getString("log"), rs.getLong("created"), rs.getLong("started"), rs.getLong("ended"),
                        rs.getString("instance"), rs.getString("error")));
            }
        }
        return jobs;
    }
}
