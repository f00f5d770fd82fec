package dev.flowgraph.ui.layout;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.ui.canvas.FlowCanvas;
import dev.flowgraph.ui.canvas.NodeGeometry;
import dev.flowgraph.ui.model.EditorDocument;
import dev.flowgraph.ui.model.FlowEdits;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Arranging cards: automatic layout of the whole flow, and aligning or spacing out the selected cards. Each is one undo step. */
public final class ArrangeActions {
    private final FlowCanvas canvas;
    private final EditorDocument document;
    private final NodeRegistry registry;

    public ArrangeActions(FlowCanvas canvas, EditorDocument document, NodeRegistry registry) {
        this.canvas = canvas;
        this.document = document;
        this.registry = registry;
    }

    /** Lays the whole flow out in layers from left to right, then fits it to the window. */
    public void autoLayout() {
        FlowDocument flow = document.flow();
        if (flow.nodes().isEmpty()) {
            return;
        }
        double minX = flow.nodes().stream().mapToDouble(n -> n.position().x()).min().orElse(0);
        double minY = flow.nodes().stream().mapToDouble(n -> n.position().y()).min().orElse(0);
        Map<String, Position> placed = AutoLayout.arrange(flow, n -> canvas.portsOf(n.id()),
                AutoLayout.returnWires(flow, this::isEntry), new Position(minX, minY));
        document.apply("Auto layout", f -> FlowEdits.moveNodes(f, placed));
        canvas.fitToView();
    }

    /** Lines the selected cards up on the left edge of the leftmost ({@code true}) or the top of the highest. */
    public void align(boolean leftEdges) {
        List<String> ids = List.copyOf(canvas.selection());
        if (ids.size() < 2) {
            return;
        }
        FlowDocument flow = document.flow();
        double edge = ids.stream().map(id -> flow.node(id).orElseThrow().position())
                .mapToDouble(p -> leftEdges ? p.x() : p.y()).min().orElseThrow();
        Map<String, Position> moved = new HashMap<>();
        for (String id : ids) {
            Position p = flow.node(id).orElseThrow().position();
            moved.put(id, leftEdges ? new Position(edge, p.y()) : new Position(p.x(), edge));
        }
        document.apply(leftEdges ? "Align left" : "Align top", f -> FlowEdits.moveNodes(f, moved));
    }

    /** Spaces the selected cards out evenly between the first and the last, across ({@code true}) or down. */
    public void distribute(boolean horizontally) {
        List<String> ids = List.copyOf(canvas.selection());
        if (ids.size() < 3) {
            return;
        }
        FlowDocument flow = document.flow();
        ToDoubleFunction<String> start = id -> horizontally ? flow.node(id).orElseThrow().position().x()
                : flow.node(id).orElseThrow().position().y();
        ToDoubleFunction<String> size = id -> horizontally ? NodeGeometry.WIDTH : NodeGeometry.height(canvas.portsOf(id));
        List<String> ordered = ids.stream().sorted(Comparator.comparingDouble(start)).toList();
        double first = start.applyAsDouble(ordered.get(0));
        String lastId = ordered.get(ordered.size() - 1);
        double end = start.applyAsDouble(lastId) + size.applyAsDouble(lastId);
        double total = ordered.stream().mapToDouble(size).sum();
        double gap = (end - first - total) / (ordered.size() - 1);
        Map<String, Position> moved = new HashMap<>();
        double at = first;
        for (String id : ordered) {
            Position p = flow.node(id).orElseThrow().position();
            double snapped = Math.round(at);
            moved.put(id, horizontally ? new Position(snapped, p.y()) : new Position(p.x(), snapped));
            at += size.applyAsDouble(id) + gap;
        }
        document.apply(horizontally ? "Distribute horizontally" : "Distribute vertically", f -> FlowEdits.moveNodes(f, moved));
    }

    private boolean isEntry(String nodeId) {
        return document.flow().node(nodeId).flatMap(n -> registry.descriptor(n.type())).map(NodeDescriptor::entry)
                .orElse(false);
    }
}
