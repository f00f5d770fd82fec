package dev.flowgraph.core.store;

/**
 * Where served flows keep conversations and run history: one per process, handed to the runtime at start
 * ({@link dev.flowgraph.core.run.RuntimeOptions#store()}). The flow-store module implements it on SQLite and
 * PostgreSQL; {@link #NONE} keeps nothing. Nodes and routes see only these interfaces, never JDBC.
 */
public interface Store extends AutoCloseable {

    /** Keeps nothing: sessions are not remembered and runs not recorded (as {@code --store none} asks). */
    Store NONE = new NoStore();

    /** False for {@link #NONE}. */
    boolean isEnabled();

    /** Where the data lives, fit to print: a database URL without its password. */
    String location();

    Conversations conversations();

    RunHistory runs();

    /** Background jobs; {@link #NONE} throws (jobs need a database to wait in). */
    Jobs jobs();

    /** Whether the last use of the database worked, and how many uses failed since the start. */
    StoreHealth health();

    /** Writes what is still queued (for a short while) and closes the connections. */
    @Override
    void close();
}
