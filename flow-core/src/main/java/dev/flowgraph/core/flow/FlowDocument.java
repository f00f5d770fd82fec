package dev.flowgraph.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A flow as saved in a {@code *.flow.json} file: nodes and wires, nothing running. */
public record FlowDocument(int format, String name, String description, List<NodeInstance> nodes, List<Wire> wires) {

    /** The version of the file format this build writes and reads. */
    public static final int FORMAT = 1;

    public FlowDocument {
        name = name == null ? "flow" : name;
        description = description == null ? "" : description;
        nodes = List.copyOf(nodes);
        wires = List.copyOf(wires);
    }

    public Optional<NodeInstance> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    public List<NodeInstance> nodesOfType(String type) {
        return nodes.stream().filter(n -> n.type().equals(type)).toList();
    }

    /** A copy with one node's setting replaced (command-line overrides such as {@code --port}). */
    public FlowDocument withSetting(String nodeId, String setting, Object value) {
        List<NodeInstance> copy = new ArrayList<>(nodes.size());
        for (NodeInstance n : nodes) {
            copy.add(n.id().equals(nodeId) ? n.withSetting(setting, value) : n);
        }
        return new FlowDocument(format, name, description, copy, wires);
    }
}
