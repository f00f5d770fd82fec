package dev.flowgraph.core.store;

/** The database could not be reached or refused the work; the message names it without any password. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
