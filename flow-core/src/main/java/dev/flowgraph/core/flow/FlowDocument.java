package dev.flowgraph.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A flow as saved in a {@code *.flow.json} file: nodes and wires, nothing running; and, for its readers, notes and
 * groups (the runtime ignores those).
 */
public record FlowDocument(int format, String name, String description, List<NodeInstance> nodes, List<Wire> wires,
                           List<Note> notes, List<Group> groups) {

    /** The version of the file format this build writes and reads. */
    public static final int FORMAT = 1;

    public FlowDocument {
        name = name == null ? "flow" : name;
        description = description == null ? "" : description;
        nodes = List.copyOf(nodes);
        wires = List.copyOf(wires);
        notes = notes == null ? List.of() : List.copyOf(notes);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** A flow without notes or groups. */
    public FlowDocument(int format, String name, String description, List<NodeInstance> nodes, List<Wire> wires) {
        this(format, name, description, nodes, wires, List.of(), List.of());
    }

    /**
     * The same flow with other nodes and wires; notes stay, and groups keep only the nodes still there (a group left
     * empty goes).
     */
    public FlowDocument withContent(List<NodeInstance> replacedNodes, List<Wire> replacedWires) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        replacedNodes.forEach(n -> ids.add(n.id()));
        List<Group> kept = new ArrayList<>();
        for (Group g : groups) {
            List<String> members = g.nodes().stream().filter(ids::contains).toList();
            if (!members.isEmpty()) {
                kept.add(members.size() == g.nodes().size() ? g : g.withNodes(members));
            }
        }
        return new FlowDocument(format, name, description, replacedNodes, replacedWires, notes, kept);
    }

    public FlowDocument withNotes(List<Note> replaced) {
        return new FlowDocument(format, name, description, nodes, wires, replaced, groups);
    }

    public FlowDocument withGroups(List<Group> replaced) {
        return new FlowDocument(format, name, description, nodes, wires, notes, replaced);
    }

    public FlowDocument withName(String replaced) {
        return new FlowDocument(format, replaced, description, nodes, wires, notes, groups);
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
        return new FlowDocument(format, name, description, copy, wires, notes, groups);
    }
}
