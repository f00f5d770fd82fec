package dev.flowgraph.core.flow;

/** An edge of the flow graph: from a node's output port to a node's input port. */
public record Wire(PortRef from, PortRef to) {

    public static Wire of(String from, String to) {
        return new Wire(PortRef.parse(from), PortRef.parse(to));
    }

    @Override
    public String toString() {
        return from + " -> " + to;
    }
}
