package dev.flowgraph.store;

import dev.flowgraph.core.store.StoreUnavailableException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs a unit of work on one pooled connection, in one transaction, counting failures in {@link StoreFaults}. */
final class Sql {
    private final DataSource pool;
    private final StoreFaults faults;

    Sql(DataSource pool, StoreFaults faults) {
        this.pool = pool;
        this.faults = faults;
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Does {@code work} in a transaction; a failure is counted and thrown as {@link StoreUnavailableException}.
     *
     * @param what what is being done, for the log ("reading session x")
     */
    <T> T transaction(String what, Work<T> work) {
        faults.checkAvailable(what);
        try {
            return transactionOrThrow(work);
        } catch (SQLException | RuntimeException e) {
            faults.failed(what, e);
            throw new StoreUnavailableException("store: " + what + " failed: " + e.getMessage(), e);
        }
    }

    /** Does {@code work} in a transaction, failures thrown as they come (for the writer, which retries them itself). */
    <T> T transactionOrThrow(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                faults.worked();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: nothing was committed
        }
    }
}
