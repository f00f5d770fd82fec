package dev.flowgraph.core.flow;

import java.util.Objects;

/** A port of a node in a flow, written {@code node.port} in flow files. */
public record PortRef(String node, String port) {

    public PortRef {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(port, "port");
    }

    /** Parses {@code node.port}; the node id may not contain a dot. */
    public static PortRef parse(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            throw new IllegalArgumentException("expected \"node.port\", got \"" + text + '"');
        }
        return new PortRef(text.substring(0, dot), text.substring(dot + 1));
    }

    @Override
    public String toString() {
        return node + '.' + port;
    }
}
