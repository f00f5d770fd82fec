package dev.flowgraph.ui.layout;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.ui.canvas.NodeGeometry;
import javafx.geometry.Point2D;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.PortConstraints;
import org.eclipse.elk.core.options.PortSide;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.ElkPort;
import org.eclipse.elk.graph.util.ElkGraphUtil;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Arranges a flow in layers from left to right with ELK's layered algorithm (few crossings, ports where the cards
 * have them). Return wires (answers going back into the API element) are left out of the layering, so the API
 * element stays at the start of the flow; the canvas routes them back around the cards.
 */
public final class AutoLayout {
    static {
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
    }

    private static final double BETWEEN_LAYERS = 90;
    private static final double BETWEEN_NODES = 40;

    private AutoLayout() {
    }

    /**
     * @param portsOf    each node's ports as its card shows them
     * @param returnWire which wires go back to the start (drawn around, not laid out)
     * @param origin     where the top left corner of the arranged flow goes
     * @return every node's new position, snapped to the canvas' 10-pixel steps
     */
    public static Map<String, Position> arrange(FlowDocument flow, Function<NodeInstance, NodePorts> portsOf,
                                                Predicate<Wire> returnWire, Position origin) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, BETWEEN_LAYERS);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE, BETWEEN_NODES);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 30.0);
        root.setProperty(LayeredOptions.SPACING_COMPONENT_COMPONENT, 60.0);
        root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(0));

        Map<String, ElkNode> nodes = new LinkedHashMap<>();
        Map<PortRef, ElkPort> inputs = new HashMap<>();
        Map<PortRef, ElkPort> outputs = new HashMap<>();
        for (NodeInstance instance : flow.nodes()) {
            NodePorts ports = portsOf.apply(instance);
            ElkNode node = ElkGraphUtil.createNode(root);
            node.setIdentifier(instance.id());
            node.setDimensions(NodeGeometry.WIDTH, NodeGeometry.height(ports));
            node.setProperty(CoreOptions.PORT_CONSTRAINTS, PortConstraints.FIXED_POS);
            for (int i = 0; i < ports.inputs().size(); i++) {
                inputs.put(new PortRef(instance.id(), ports.inputs().get(i).name()),
                        port(node, NodeGeometry.input(i), PortSide.WEST));
            }
            for (int i = 0; i < ports.outputs().size(); i++) {
                outputs.put(new PortRef(instance.id(), ports.outputs().get(i).name()),
                        port(node, NodeGeometry.output(i), PortSide.EAST));
            }
            nodes.put(instance.id(), node);
        }
        for (Wire wire : flow.wires()) {
            ElkPort from = outputs.get(wire.from());
            ElkPort to = inputs.get(wire.to());
            if (from != null && to != null && !returnWire.test(wire)) {
                ElkGraphUtil.createSimpleEdge(from, to);
            }
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        Map<String, Position> placed = new LinkedHashMap<>();
        nodes.forEach((id, node) -> placed.put(id, new Position(snap(origin.x() + node.getX()),
                snap(origin.y() + node.getY()))));
        return placed;
    }

    /**
     * The wires that bring an answer back to where the run came in: into an entry node (the API element) from a node
     * that node's own output reaches.
     */
    public static Predicate<Wire> returnWires(FlowDocument flow, Predicate<String> isEntryNode) {
        Map<String, List<String>> next = new HashMap<>();
        for (Wire w : flow.wires()) {
            next.computeIfAbsent(w.from().node(), k -> new java.util.ArrayList<>()).add(w.to().node());
        }
        return wire -> isEntryNode.test(wire.to().node()) && reaches(next, wire.to().node(), wire.from().node());
    }

    private static boolean reaches(Map<String, List<String>> next, String from, String target) {
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(from));
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            String node = todo.pop();
            if (node.equals(target)) {
                return true;
            }
            if (seen.add(node)) {
                todo.addAll(next.getOrDefault(node, List.of()));
            }
        }
        return false;
    }

    private static ElkPort port(ElkNode node, Point2D centre, PortSide side) {
        ElkPort port = ElkGraphUtil.createPort(node);
        port.setDimensions(1, 1);
        port.setLocation(centre.getX() - (side == PortSide.EAST ? 1 : 0), centre.getY() - 0.5);
        port.setProperty(CoreOptions.PORT_SIDE, side);
        return port;
    }

    private static double snap(double v) {
        return Math.round(v / 10) * 10.0;
    }
}
