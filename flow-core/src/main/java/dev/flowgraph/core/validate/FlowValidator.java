package dev.flowgraph.core.validate;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.SettingSpec;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedPseudograph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks a flow against the node types' descriptors and reports every problem at once. */
public final class FlowValidator {
    private final NodeRegistry registry;

    public FlowValidator(NodeRegistry registry) {
        this.registry = registry;
    }

    /** Validates a flow whose relative paths start in the working directory (a flow not saved yet). */
    public List<Problem> validate(FlowDocument flow) {
        return validate(flow, PortScope.of(null));
    }

    /** Validates a flow read from a file: {@code scope} says where (see {@link PortScope#of}). */
    public List<Problem> validate(FlowDocument flow, PortScope scope) {
        List<Problem> problems = new ArrayList<>();
        Map<String, NodePorts> ports = new HashMap<>();
        Map<String, NodeInstance> nodes = new HashMap<>();
        for (NodeInstance node : flow.nodes()) {
            if (nodes.putIfAbsent(node.id(), node) != null) {
                problems.add(new Problem(ProblemKind.DUPLICATE_NODE_ID, node.id(), null,
                        "the id '" + node.id() + "' is used by more than one node"));
            }
        }
        for (NodeInstance node : flow.nodes()) {
            Optional<NodeDescriptor> d = registry.descriptor(node.type());
            if (d.isEmpty()) {
                problems.add(new Problem(ProblemKind.UNKNOWN_NODE_TYPE, node.id(), null,
                        "unknown node type '" + node.type() + "' (see 'flow nodes' for the known ones)"));
            } else {
                checkSettings(node, d.get(), problems);
                NodeSettings settings = NodeSettings.lenient(d.get(), node.settings(), scope);
                ports.put(node.id(), d.get().ports(settings, scope));
                for (SettingProblem p : d.get().check(settings, scope)) {
                    problems.add(new Problem(ProblemKind.INVALID_SETTING, node.id(), p.setting(),
                            "setting '" + p.setting() + "' " + p.message()));
                }
            }
        }
        Set<String> wiredInputs = new HashSet<>();
        for (Wire wire : flow.wires()) {
            checkWire(wire, nodes, ports, problems, wiredInputs);
        }
        for (NodeInstance node : nodes.values()) {
            registry.descriptor(node.type()).ifPresent(d -> {
                for (PortSpec in : ports.get(node.id()).inputs()) {
                    if (in.required() && !wiredInputs.contains(node.id() + "." + in.name())) {
                        problems.add(new Problem(ProblemKind.REQUIRED_INPUT_UNWIRED, node.id(), in.name(),
                                "required input '" + in.name() + "' is not wired"
                                        + (in.sourceTypes().isEmpty() ? "" : " (wire it from " + describe(in.sourceTypes()) + ")")));
                    }
                }
            });
        }
        checkCycles(flow, nodes, problems);
        checkUnansweredBranches(flow, nodes, ports, problems);
        checkDeadEnds(flow, nodes, ports, problems);
        return problems;
    }

    /**
     * A flow with no entry node runs work its nodes start (an ingestion), and each run ends at a node without outputs
     * (a Vector index). A node that gets work and has outputs carrying it, none wired, is where such runs stop for good.
     */
    private void checkDeadEnds(FlowDocument flow, Map<String, NodeInstance> nodes, Map<String, NodePorts> ports,
                               List<Problem> problems) {
        // Runs that come in by an entry node (or go round a loop boundary) end there, not at a sink.
        boolean hasEntry = nodes.values().stream().anyMatch(n -> registry.descriptor(n.type())
                .map(d -> d.entry() || d.loopBoundary()).orElse(false));
        if (hasEntry) {
            return;
        }
        // The work starts at nodes the Initiator's signal reaches (a loader) and goes where their wires lead.
        Map<String, List<String>> next = new HashMap<>();
        Set<String> feeding = new HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
        for (Wire w : flow.wires()) {
            next.computeIfAbsent(w.from().node(), k -> new ArrayList<>()).add(w.to().node());
            feeding.add(w.from().node());
            NodePorts from = ports.get(w.from().node());
            if (from != null && from.output(w.from().port()).map(o -> o.type() == DataType.SIGNAL).orElse(false)) {
                todo.add(w.to().node());
            }
        }
        Set<String> reached = new HashSet<>();
        while (!todo.isEmpty()) {
            String id = todo.poll();
            if (reached.add(id)) {
                todo.addAll(next.getOrDefault(id, List.of()));
            }
        }
        for (NodeInstance node : flow.nodes()) {
            NodePorts p = ports.get(node.id());
            if (p == null || !reached.contains(node.id()) || feeding.contains(node.id())) {
                continue;
            }
            List<String> carrying = p.outputs().stream()
                    .filter(o -> o.type() != DataType.SIGNAL && o.type() != DataType.TOOL).map(PortSpec::name).toList();
            if (!carrying.isEmpty()) {
                problems.add(new Problem(ProblemKind.RUN_NEVER_ENDS, node.id(), carrying.get(0),
                        "its output" + (carrying.size() == 1 ? " '" + carrying.get(0) + "' is" : "s "
                                + String.join(", ", carrying) + " are") + " not wired: the runs that reach it never end "
                                + "(flow run gives up after --timeout); wire it on to a node that ends them, such as a "
                                + "Vector index"));
            }
        }
    }

    /**
     * A routing node whose branches lead to an entry node (the API element), with an output left unwired: runs sent
     * down that output reach the entry node by not-taken marks only and end with "no branch answered".
     */
    private void checkUnansweredBranches(FlowDocument flow, Map<String, NodeInstance> nodes,
                                         Map<String, NodePorts> ports, List<Problem> problems) {
        Map<String, List<String>> next = new HashMap<>();
        Set<String> wiredOutputs = new HashSet<>();
        for (Wire w : flow.wires()) {
            next.computeIfAbsent(w.from().node(), k -> new ArrayList<>()).add(w.to().node());
            wiredOutputs.add(w.from().toString());
        }
        for (NodeInstance node : nodes.values()) {
            boolean routing = registry.descriptor(node.type()).map(NodeDescriptor::routing).orElse(false);
            if (!routing || !ports.containsKey(node.id())) {
                continue;
            }
            Optional<String> entry = entryReached(node.id(), next, nodes);
            if (entry.isEmpty()) {
                continue;
            }
            for (PortSpec out : ports.get(node.id()).outputs()) {
                if (!wiredOutputs.contains(node.id() + "." + out.name())) {
                    problems.add(new Problem(ProblemKind.UNANSWERED_BRANCH, node.id(), out.name(),
                            "output '" + out.name() + "' is not wired: runs sent there never reach '" + entry.get()
                                    + "', which ends them with \"no branch answered\" (wire it, to a Template with a "
                                    + "fixed reply for one, or remove the case)"));
                }
            }
        }
    }

    private Optional<String> entryReached(String from, Map<String, List<String>> next, Map<String, NodeInstance> nodes) {
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(next.getOrDefault(from, List.of()));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String id = todo.poll();
            if (!seen.add(id) || !nodes.containsKey(id)) {
                continue;
            }
            if (registry.descriptor(nodes.get(id).type()).map(NodeDescriptor::entry).orElse(false)) {
                return Optional.of(id);
            }
            todo.addAll(next.getOrDefault(id, List.of()));
        }
        return Optional.empty();
    }

    private void checkSettings(NodeInstance node, NodeDescriptor d, List<Problem> problems) {
        for (String name : node.settings().keySet()) {
            if (d.setting(name).isEmpty()) {
                problems.add(new Problem(ProblemKind.UNKNOWN_SETTING, node.id(), name,
                        d.name() + " has no setting '" + name + "'"));
            }
        }
        for (SettingSpec spec : d.settings()) {
            Object value = node.settings().containsKey(spec.name()) ? node.settings().get(spec.name())
                    : spec.defaultValue();
            spec.check(value).ifPresent(msg -> problems.add(new Problem(ProblemKind.INVALID_SETTING, node.id(),
                    spec.name(), "setting '" + spec.name() + "' " + msg)));
        }
    }

    private void checkWire(Wire wire, Map<String, NodeInstance> nodes, Map<String, NodePorts> ports,
                           List<Problem> problems, Set<String> wiredInputs) {
        NodeInstance from = nodes.get(wire.from().node());
        NodeInstance to = nodes.get(wire.to().node());
        if (from == null || to == null) {
            String missing = from == null ? wire.from().node() : wire.to().node();
            problems.add(new Problem(ProblemKind.UNKNOWN_NODE, null, wire.toString(),
                    "wire " + wire + " names node '" + missing + "', which is not in the flow"));
            return;
        }
        Optional<NodeDescriptor> fromType = registry.descriptor(from.type());
        Optional<NodeDescriptor> toType = registry.descriptor(to.type());
        if (fromType.isEmpty() || toType.isEmpty()) {
            return; // already reported as an unknown node type
        }
        NodePorts fromPorts = ports.get(from.id());
        NodePorts toPorts = ports.get(to.id());
        Optional<PortSpec> out = fromPorts.output(wire.from().port());
        Optional<PortSpec> in = toPorts.input(wire.to().port());
        if (out.isEmpty()) {
            problems.add(new Problem(ProblemKind.UNKNOWN_PORT, from.id(), wire.from().port(),
                    fromType.get().name() + " has no output '" + wire.from().port() + "' (outputs: "
                            + names(fromPorts.outputs()) + ")"));
        }
        if (in.isEmpty()) {
            problems.add(new Problem(ProblemKind.UNKNOWN_PORT, to.id(), wire.to().port(),
                    toType.get().name() + " has no input '" + wire.to().port() + "' (inputs: "
                            + names(toPorts.inputs()) + ")"));
        }
        if (out.isEmpty() || in.isEmpty()) {
            return;
        }
        wiredInputs.add(to.id() + "." + in.get().name());
        if (!in.get().type().accepts(out.get().type())) {
            problems.add(new Problem(ProblemKind.TYPE_MISMATCH, to.id(), in.get().name(),
                    "input '" + in.get().name() + "' takes " + in.get().type().label() + " but " + wire.from()
                            + " gives " + out.get().type().label()));
        }
        if (!in.get().sourceTypes().isEmpty() && !in.get().sourceTypes().contains(from.type())) {
            problems.add(new Problem(ProblemKind.WRONG_SOURCE_TYPE, to.id(), in.get().name(),
                    "input '" + in.get().name() + "' must be wired from " + describe(in.get().sourceTypes())
                            + ", not from '" + from.id() + "' (" + fromType.get().name() + ")"));
        }
    }

    /** A cycle is fine only if it passes through a loop-boundary node: look for cycles among the others. */
    private void checkCycles(FlowDocument flow, Map<String, NodeInstance> nodes, List<Problem> problems) {
        Graph<String, DefaultEdge> graph = new DirectedPseudograph<>(DefaultEdge.class);
        for (NodeInstance n : nodes.values()) {
            boolean boundary = registry.descriptor(n.type()).map(NodeDescriptor::loopBoundary).orElse(false);
            if (!boundary) {
                graph.addVertex(n.id());
            }
        }
        for (Wire w : flow.wires()) {
            if (graph.containsVertex(w.from().node()) && graph.containsVertex(w.to().node())) {
                graph.addEdge(w.from().node(), w.to().node());
            }
        }
        for (Set<String> component : new KosarajuStrongConnectivityInspector<>(graph).stronglyConnectedSets()) {
            String only = component.iterator().next();
            if (component.size() > 1 || graph.containsEdge(only, only)) {
                List<String> members = component.stream().sorted().toList();
                problems.add(new Problem(ProblemKind.ILLEGAL_CYCLE, members.get(0), null,
                        "nodes " + members + " form a cycle that does not pass through a loop boundary"
                                + " (the API element, For each or Repeat; to run work again on its own output, put"
                                + " it in a sub-flow and use Repeat)"));
            }
        }
    }

    private String describe(Set<String> typeIds) {
        return typeIds.stream().sorted()
                .map(id -> registry.descriptor(id).map(d -> "a " + d.name() + " node").orElse("a '" + id + "' node"))
                .reduce((a, b) -> a + " or " + b).orElse("?");
    }

    private static List<String> names(List<PortSpec> ports) {
        return ports.stream().map(PortSpec::name).toList();
    }
}
