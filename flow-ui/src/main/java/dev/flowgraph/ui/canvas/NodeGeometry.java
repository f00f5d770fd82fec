package dev.flowgraph.ui.canvas;

import dev.flowgraph.core.node.NodePorts;
import javafx.geometry.Point2D;

/**
 * Where things sit on a node card. Fixed sizes make port positions plain arithmetic, so wires follow a moving
 * card without waiting for a layout pass, and hit tests need no scene-graph lookups.
 */
public final class NodeGeometry {
    public static final double WIDTH = 220;
    static final double HEADER = 34;
    static final double ROW = 24;
    static final double FOOTER = 26;
    static final double PORT_RADIUS = 6;
    /** How far from a port's centre a drop still lands on it. */
    static final double PORT_CATCH = 14;

    private NodeGeometry() {
    }

    public static double height(NodePorts ports) {
        int rows = Math.max(1, Math.max(ports.inputs().size(), ports.outputs().size()));
        return HEADER + 4 + rows * ROW + FOOTER;
    }

    public static Point2D input(int index) {
        return new Point2D(0, rowCentre(index));
    }

    public static Point2D output(int index) {
        return new Point2D(WIDTH, rowCentre(index));
    }

    static double rowCentre(int index) {
        return HEADER + 4 + index * ROW + ROW / 2;
    }
}
