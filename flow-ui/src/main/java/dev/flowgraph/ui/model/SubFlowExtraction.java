package dev.flowgraph.ui.model;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.nodes.subflow.FlowInput;
import dev.flowgraph.nodes.subflow.FlowOutput;
import dev.flowgraph.nodes.subflow.SubFlow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns selected nodes into a flow of their own: every wire that crossed the selection's edge becomes a Flow input
 * or Flow output there, and the selection is replaced by one Sub-flow node whose ports those are, wired as before.
 */
public final class SubFlowExtraction {

    /** The type of a port as the flow's cards show it. */
    @FunctionalInterface
    public interface PortTypes {
        DataType of(PortRef port, boolean output);
    }

    /**
     * @param subFlow  the new flow file's content
     * @param parent   the flow with the selection replaced by {@code nodeId}
     * @param nodeId   the Sub-flow node standing in for the selection
     */
    public record Result(FlowDocument subFlow, FlowDocument parent, String nodeId) {
    }

    private SubFlowExtraction() {
    }

    /**
     * @param flowPath the new file's path as the Sub-flow node names it (relative to the flow's folder)
     * @throws IllegalArgumentException when nothing is selected, or a wire crossing the edge carries a type a flow's
     *                                  interface cannot (documents, vectors, tools), named in the message
     */
    public static Result extract(FlowDocument flow, Collection<String> selection, String name, String flowPath,
                                 PortTypes types) {
        Set<String> inside = new HashSet<>(selection);
        List<NodeInstance> inner = flow.nodes().stream().filter(n -> inside.contains(n.id())).toList();
        if (inner.isEmpty()) {
            throw new IllegalArgumentException("Select the nodes to extract first.");
        }
        Set<String> usedIds = new HashSet<>(inside);
        Set<String> usedNames = new HashSet<>();
        Map<PortRef, String> inputNames = new LinkedHashMap<>();
        Map<PortRef, String> outputNames = new LinkedHashMap<>();
        List<NodeInstance> interfaceNodes = new ArrayList<>();
        List<Wire> subWires = new ArrayList<>();
        List<Wire> parentWires = new ArrayList<>();
        String subId = unique("subflow_" + name.replaceAll("[^A-Za-z0-9_]", "_"),
                flow.nodes().stream().map(NodeInstance::id).filter(id -> !inside.contains(id)).toList());

        double minX = inner.stream().mapToDouble(n -> n.position().x()).min().orElse(0);
        double minY = inner.stream().mapToDouble(n -> n.position().y()).min().orElse(0);
        double maxX = inner.stream().mapToDouble(n -> n.position().x()).max().orElse(0);
        double shiftX = 300 - minX;
        double shiftY = 60 - minY;

        for (Wire wire : flow.wires()) {
            boolean fromIn = inside.contains(wire.from().node());
            boolean toIn = inside.contains(wire.to().node());
            if (fromIn && toIn) {
                subWires.add(wire);
            } else if (!fromIn && !toIn) {
                parentWires.add(wire);
            } else if (toIn) {
                String port = inputNames.get(wire.to());
                if (port == null) {
                    DataType type = crossingType(wire, types.of(wire.to(), false), types.of(wire.from(), true));
                    port = uniqueName(wire.to(), usedNames);
                    inputNames.put(wire.to(), port);
                    String id = unique("in_" + port, usedIds);
                    interfaceNodes.add(FlowInput.declare(id, port, type, new Position(40, 60 + 120 * (inputNames.size() - 1))));
                    subWires.add(new Wire(new PortRef(id, "value"), wire.to()));
                }
                parentWires.add(new Wire(wire.from(), new PortRef(subId, port)));
            } else {
                String port = outputNames.get(wire.from());
                if (port == null) {
                    DataType type = crossingType(wire, types.of(wire.from(), true), types.of(wire.to(), false));
                    port = uniqueName(wire.from(), usedNames);
                    outputNames.put(wire.from(), port);
                    String id = unique("out_" + port, usedIds);
                    interfaceNodes.add(FlowOutput.declare(id, port, type,
                            new Position(maxX + shiftX + 300, 60 + 120 * (outputNames.size() - 1))));
                    subWires.add(new Wire(wire.from(), new PortRef(id, "value")));
                }
                parentWires.add(new Wire(new PortRef(subId, port), wire.to()));
            }
        }

        List<NodeInstance> subNodes = new ArrayList<>();
        interfaceNodes.stream().filter(n -> n.type().equals(FlowInput.TYPE)).forEach(subNodes::add);
        for (NodeInstance n : inner) {
            subNodes.add(new NodeInstance(n.id(), n.type(),
                    new Position(n.position().x() + shiftX, n.position().y() + shiftY), n.settings()));
        }
        interfaceNodes.stream().filter(n -> n.type().equals(FlowOutput.TYPE)).forEach(subNodes::add);
        FlowDocument subFlow = new FlowDocument(FlowDocument.FORMAT, name,
                "Extracted from " + flow.name() + ": " + String.join(", ", inner.stream().map(NodeInstance::id).toList()) + ".",
                subNodes, subWires);

        List<NodeInstance> parentNodes = new ArrayList<>();
        boolean placed = false;
        for (NodeInstance n : flow.nodes()) {
            if (!inside.contains(n.id())) {
                parentNodes.add(n);
            } else if (!placed) {
                parentNodes.add(SubFlow.calling(subId, flowPath, new Position(minX, minY)));
                placed = true;
            }
        }
        FlowDocument parent = flow.withContent(parentNodes, parentWires);
        return new Result(subFlow, parent, subId);
    }

    /** The type a crossing wire's new port carries: its own end's, or the other end's when that one takes any type. */
    private static DataType crossingType(Wire wire, DataType near, DataType far) {
        DataType type = near == DataType.ANY ? far : near;
        if (type == DataType.ANY) {
            type = DataType.TEXT;
        }
        if (!SubFlow.carries(type)) {
            throw new IllegalArgumentException("The wire " + wire + " carries " + type.label()
                    + ": a sub-flow's inputs and outputs carry text, JSON or chat. Include both its ends, or neither.");
        }
        return type;
    }

    /** A port takes its name from the port it stands for, or from node and port when that name is taken. */
    private static String uniqueName(PortRef port, Set<String> used) {
        String name = port.port().replaceAll("[^A-Za-z0-9_-]", "_");
        if (!used.add(name)) {
            name = unique(port.node() + "_" + name, used);
            used.add(name);
        }
        return name;
    }

    private static String unique(String wanted, Collection<String> used) {
        String id = wanted;
        for (int i = 2; used.contains(id); i++) {
            id = wanted + "_" + i;
        }
        if (used instanceof Set<String> set) {
            set.add(id);
        }
        return id;
    }
}
