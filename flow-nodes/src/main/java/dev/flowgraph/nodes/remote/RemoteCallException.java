package dev.flowgraph.nodes.remote;

/** A remote service failed a call; the message names the service and what went wrong, never the key. */
public final class RemoteCallException extends Exception {
    RemoteCallException(String message) {
        super(message);
    }
}
