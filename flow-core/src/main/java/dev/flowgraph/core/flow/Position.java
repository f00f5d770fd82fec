package dev.flowgraph.core.flow;

/** Where the editor draws a node; the runtime ignores it. */
public record Position(double x, double y) {
    public static final Position ORIGIN = new Position(0, 0);
}
