package dev.flowgraph.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flowgraph.core.store.Conversations;
import dev.flowgraph.core.store.RunHistory;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.store.StoreHealth;
import dev.flowgraph.core.store.StoreUnavailableException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The store on a database: SQLite (one file, WAL mode) or PostgreSQL, through a HikariCP pool, its schema brought up
 * to date by Flyway as it opens (the same migrations for both).
 */
public final class JdbcStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    private final StoreUrl url;
    private final HikariDataSource pool;
    private final StoreFaults faults;
    private final RunWriter writer;
    private final ExecutorService appends;
    private final ScheduledExecutorService maintenance;
    private final SqlConversations conversations;
    private final SqlRunHistory runs;
    private final SqlJobs jobs;

    private JdbcStore(StoreUrl url, HikariDataSource pool, Duration retainEvery) {
        this.url = url;
        this.pool = pool;
        this.faults = new StoreFaults(url.shown());
        Sql sql = new Sql(pool, faults);
        this.writer = new RunWriter(sql, faults);
        this.appends = Executors.newSingleThreadExecutor(daemon("flow-store-sessions"));
        this.maintenance = Executors.newSingleThreadScheduledExecutor(daemon("flow-store-retention"));
        this.conversations = new SqlConversations(sql, appends);
        this.runs = new SqlRunHistory(sql, writer, maintenance, retainEvery);
        this.jobs = new SqlJobs(sql, !url.isSqlite());
    }

    /**
     * Opens the store {@code value} names ({@code none} gives {@link Store#NONE}): connects, and creates or updates the
     * schema.
     *
     * @throws IllegalArgumentException when {@code value} is no store URL
     * @throws StoreUnavailableException when the database cannot be reached or set up; the message names the URL
     *                                   without its password
     */
    public static Store open(String value) {
        if (value.strip().equalsIgnoreCase("none")) {
            return Store.NONE;
        }
        return open(StoreUrl.parse(value), Duration.ofSeconds(
                Long.getLong("flowgraph.store.retentionSeconds", 60)));
    }

    /** The newest migration's version ({@code db/migration/V<version>__*.sql}); bump it with every new migration. */
    static final String SCHEMA_VERSION = "2";

    static JdbcStore open(StoreUrl url, Duration retainEvery) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        config.setPoolName("flow-store");
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(1); // fail at once, with the database's own message
        if (url.isSqlite()) {
            try {
                Files.createDirectories(url.sqliteFile().getParent());
            } catch (IOException e) {
                throw new StoreUnavailableException("cannot create the folder of " + url.shown() + ": " + e, e);
            }
            // One file, one writer at a time: few connections, opened as needed (each holds its own page cache).
            config.setMaximumPoolSize(3);
            config.setMinimumIdle(1);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", "10000");
        } else {
            config.setMaximumPoolSize(8);
            config.setMinimumIdle(2);
            config.addDataSourceProperty("connectTimeout", "2");
            config.addDataSourceProperty("socketTimeout", "30");
            config.addDataSourceProperty("ApplicationName", "flowgraph");
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open the store " + url.shown() + ": " + rootMessage(e), e);
        }
        try {
            migrate(url, pool);
        } catch (RuntimeException | IOException e) {
            pool.close();
            throw new StoreUnavailableException("cannot set up the store " + url.shown() + ": " + rootMessage(e), e);
        }
        log.debug("store: {}", url.shown());
        return new JdbcStore(url, pool, retainEvery);
    }

    /**
     * Brings the schema up to date. Several instances starting at once on one SQLite file (run-local.sh, a service
     * manager) take turns through a lock file beside it: SQLite would refuse the second writer in mid-migration, where
     * PostgreSQL makes Flyway wait on its own lock.
     */
    private static void migrate(StoreUrl url, HikariDataSource pool) throws IOException {
        if (isUpToDate(pool)) {
            return;
        }
        synchronized (JdbcStore.class) { // a file lock is per process: threads of one take turns here
            migrateLocked(url, pool);
        }
    }

    /**
     * Whether the schema already is at {@link #SCHEMA_VERSION}, read from Flyway's own history table. Most starts find
     * it so, and Flyway itself (scanning for migrations, validating them) took 0.5 s of every start: measured, a third
     * of the time to {@code /health} 200.
     */
    private static boolean isUpToDate(HikariDataSource pool) {
        try (java.sql.Connection c = pool.getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT version, success FROM flyway_schema_history "
                     + "WHERE version IS NOT NULL")) {
            boolean current = false;
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false; // a failed migration: Flyway says what to do
                }
                current |= SCHEMA_VERSION.equals(rs.getString(1));
            }
            return current;
        } catch (java.sql.SQLException e) {
            return false; // a new database: no history yet
        }
    }

    private static void migrateLocked(StoreUrl url, HikariDataSource pool) throws IOException {
        java.nio.channels.FileChannel lockFile = null;
        java.nio.channels.FileLock lock = null;
        try {
            if (url.isSqlite()) {
                lockFile = java.nio.channels.FileChannel.open(url.sqliteFile().resolveSibling(
                                url.sqliteFile().getFileName() + ".migrate-lock"),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                lock = lockFile.lock();
            }
            var result = Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                    .loggers("slf4j").load().migrate();
            if (result.migrationsExecuted > 0) {
                log.info("store {}: schema brought to version {}", url.shown(), result.targetSchemaVersion);
            }
        } finally {
            if (lock != null) {
                lock.release();
            }
            if (lockFile != null) {
                lockFile.close();
            }
        }
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public String location() {
        return url.shown();
    }

    @Override
    public Conversations conversations() {
        return conversations;
    }

    @Override
    public dev.flowgraph.core.store.Jobs jobs() {
        return jobs;
    }

    @Override
    public RunHistory runs() {
        return runs;
    }

    @Override
    public StoreHealth health() {
        return faults.health();
    }

    @Override
    public void close() {
        maintenance.shutdownNow();
        appends.shutdown();
        try {
            appends.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close(5_000);
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        return message.replaceAll("(?i)(password=)[^&\\s]*", "$1***");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
