package dev.flowgraph.ui.model;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The edits a person makes to a flow, as pure functions from one document to the next. */
public final class FlowEdits {

    private FlowEdits() {
    }

    /** A document after an edit, and the ids of the nodes the edit created. */
    public record Added(FlowDocument flow, Set<String> nodeIds) {
    }

    /** A new node of {@code typeId} at {@code at}; its id is the type's first word, numbered when taken. */
    public static Added addNode(FlowDocument flow, String typeId, Position at) {
        String id = freeId(flow, Set.of(), baseId(typeId));
        List<NodeInstance> nodes = new ArrayList<>(flow.nodes());
        nodes.add(new NodeInstance(id, typeId, at, Map.of()));
        return new Added(with(flow, nodes, flow.wires()), Set.of(id));
    }

    /** Removes the nodes and every wire that touches them. */
    public static FlowDocument removeNodes(FlowDocument flow, Collection<String> ids) {
        Set<String> gone = Set.copyOf(ids);
        List<NodeInstance> nodes = flow.nodes().stream().filter(n -> !gone.contains(n.id())).toList();
        List<Wire> wires = flow.wires().stream()
                .filter(w -> !gone.contains(w.from().node()) && !gone.contains(w.to().node()))
                .toList();
        return with(flow, nodes, wires);
    }

    public static FlowDocument removeWires(FlowDocument flow, Collection<Wire> wires) {
        Set<Wire> gone = Set.copyOf(wires);
        return with(flow, flow.nodes(), flow.wires().stream().filter(w -> !gone.contains(w)).toList());
    }

    public static FlowDocument moveNodes(FlowDocument flow, Map<String, Position> positions) {
        List<NodeInstance> nodes = flow.nodes().stream()
                .map(n -> positions.containsKey(n.id())
                        ? new NodeInstance(n.id(), n.type(), positions.get(n.id()), n.settings())
                        : n)
                .toList();
        return with(flow, nodes, flow.wires());
    }

    /** Adds the wire; an input takes one wire, so a wire already into that input is replaced. */
    public static FlowDocument connect(FlowDocument flow, Wire wire) {
        return connect(flow, wire, false);
    }

    /**
     * Adds the wire. Into an input that takes one wire, a wire already there is replaced; into one that joins
     * branches ({@code many}, a Merge's), it is added beside the others (the same wire twice is kept once).
     */
    public static FlowDocument connect(FlowDocument flow, Wire wire, boolean many) {
        List<Wire> wires = new ArrayList<>(flow.wires().stream()
                .filter(w -> many ? !w.equals(wire) : !w.to().equals(wire.to())).toList());
        wires.add(wire);
        return with(flow, flow.nodes(), wires);
    }

    /**
     * Removes the wires of a node that end or start at a port it no longer has (its ports follow its settings, and a
     * setting changed): done in the same edit as the change, so one undo brings port and wires back.
     */
    public static FlowDocument dropWiresOffPorts(FlowDocument flow, String nodeId,
                                                 dev.flowgraph.core.node.NodePorts ports) {
        List<Wire> kept = flow.wires().stream().filter(w ->
                !(w.to().node().equals(nodeId) && ports.input(w.to().port()).isEmpty())
                        && !(w.from().node().equals(nodeId) && ports.output(w.from().port()).isEmpty())).toList();
        return kept.size() == flow.wires().size() ? flow : with(flow, flow.nodes(), kept);
    }

    /** Sets a setting; null (or an empty text) removes it so the node type's default applies. */
    public static FlowDocument setSetting(FlowDocument flow, String nodeId, String name, Object value) {
        List<NodeInstance> nodes = flow.nodes().stream().map(n -> {
            if (!n.id().equals(nodeId)) {
                return n;
            }
            Map<String, Object> settings = new java.util.LinkedHashMap<>(n.settings());
            if (value == null) {
                settings.remove(name);
            } else {
                settings.put(name, value);
            }
            return new NodeInstance(n.id(), n.type(), n.position(), settings);
        }).toList();
        return with(flow, nodes, flow.wires());
    }

    /** The chosen nodes and the wires between them, as a small flow of their own (what Copy puts on the clipboard). */
    public static FlowDocument extract(FlowDocument flow, Collection<String> ids) {
        Set<String> chosen = Set.copyOf(ids);
        List<NodeInstance> nodes = flow.nodes().stream().filter(n -> chosen.contains(n.id())).toList();
        List<Wire> wires = flow.wires().stream()
                .filter(w -> chosen.contains(w.from().node()) && chosen.contains(w.to().node()))
                .toList();
        return new FlowDocument(FlowDocument.FORMAT, "clipboard", "", nodes, wires);
    }

    /**
     * Adds a copied fragment, shifted by {@code (dx, dy)}: its nodes get fresh ids where theirs are taken, and its
     * wires follow them.
     */
    public static Added paste(FlowDocument flow, FlowDocument fragment, double dx, double dy) {
        Map<String, String> renamed = new HashMap<>();
        Set<String> taken = new HashSet<>();
        List<NodeInstance> nodes = new ArrayList<>(flow.nodes());
        Set<String> created = new LinkedHashSet<>();
        for (NodeInstance n : fragment.nodes()) {
            String id = freeId(flow, taken, n.id());
            taken.add(id);
            renamed.put(n.id(), id);
            created.add(id);
            Position p = new Position(n.position().x() + dx, n.position().y() + dy);
            nodes.add(new NodeInstance(id, n.type(), p, n.settings()));
        }
        List<Wire> wires = new ArrayList<>(flow.wires());
        for (Wire w : fragment.wires()) {
            String from = renamed.get(w.from().node());
            String to = renamed.get(w.to().node());
            if (from != null && to != null) {
                wires.add(new Wire(new PortRef(from, w.from().port()), new PortRef(to, w.to().port())));
            }
        }
        return new Added(with(flow, nodes, wires), created);
    }

    static String baseId(String typeId) {
        int dot = typeId.indexOf('.');
        return dot > 0 ? typeId.substring(0, dot) : typeId;
    }

    /** {@code base} when free, else {@code base2}, {@code base3}, … (a trailing number of base is replaced). */
    private static String freeId(FlowDocument flow, Set<String> alsoTaken, String base) {
        Set<String> ids = new HashSet<>(alsoTaken);
        flow.nodes().forEach(n -> ids.add(n.id()));
        if (!ids.contains(base)) {
            return base;
        }
        String stem = base.replaceFirst("\\d+$", "");
        for (int i = 2; ; i++) {
            if (!ids.contains(stem + i)) {
                return stem + i;
            }
        }
    }

    private static FlowDocument with(FlowDocument flow, List<NodeInstance> nodes, List<Wire> wires) {
        return flow.withContent(nodes, wires);
    }
}
