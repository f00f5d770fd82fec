package dev.flowgraph.core.run;

import java.util.Locale;

/** How a run ended, as run history records it; {@link #RUNNING} while it goes on. */
public enum RunStatus {
    /** Still going on (or its process died, until the next start marks it {@link #INTERRUPTED}). */
    RUNNING,
    /** Answered in full. */
    OK,
    /** Answered, cut at the token limit. */
    LENGTH,
    /** A node failed the run. */
    ERROR,
    /** The client left, the deadline passed, or the server stopped it. */
    CANCELLED,
    /** Its process died while it ran. */
    INTERRUPTED;

    /** The name in history, the API and {@code flow runs}: {@code ok}, {@code length}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** An answer came back whole (cut at the limit counts): worth remembering in a conversation. */
    public boolean answered() {
        return this == OK || this == LENGTH;
    }
}
