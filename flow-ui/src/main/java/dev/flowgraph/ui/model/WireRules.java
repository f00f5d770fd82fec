package dev.flowgraph.ui.model;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.core.node.PortSpec;

import java.util.Optional;

/** Whether a wire the user is drawing may be made, and if not, a sentence saying why. */
public final class WireRules {
    private final NodeRegistry registry;
    private final java.util.function.Supplier<PortScope> scope;

    /** @param scope where the flow's file is, for ports that follow settings (a sub-flow's) */
    public WireRules(NodeRegistry registry, java.util.function.Supplier<PortScope> scope) {
        this.registry = registry;
        this.scope = scope;
    }

    /** Whether an input is meant for several wires (a Merge's), so a new wire joins the others there. */
    public boolean takesMany(FlowDocument flow, dev.flowgraph.core.flow.PortRef input) {
        return flow.node(input.node()).flatMap(n -> registry.descriptor(n.type())
                        .flatMap(d -> d.ports(n.settings(), scope.get()).input(input.port())))
                .map(PortSpec::many).orElse(false);
    }

    /** The ports of a node as its settings make them; none for an unknown type. */
    public java.util.Optional<dev.flowgraph.core.node.NodePorts> portsOf(FlowDocument flow, String nodeId) {
        return flow.node(nodeId).flatMap(n -> registry.descriptor(n.type()).map(d -> d.ports(n.settings(), scope.get())));
    }

    /** @return the reason the wire is refused, or empty when it may be made */
    public Optional<String> refusal(FlowDocument flow, Wire wire) {
        if (wire.from().node().equals(wire.to().node())) {
            return Optional.of("A node cannot be wired to itself.");
        }
        Optional<NodeInstance> from = flow.node(wire.from().node());
        Optional<NodeInstance> to = flow.node(wire.to().node());
        if (from.isEmpty() || to.isEmpty()) {
            return Optional.of("Both ends of a wire must be nodes of the flow.");
        }
        Optional<NodeDescriptor> fromType = registry.descriptor(from.get().type());
        Optional<NodeDescriptor> toType = registry.descriptor(to.get().type());
        if (fromType.isEmpty() || toType.isEmpty()) {
            return Optional.of("Unknown node type: wires need known types at both ends.");
        }
        Optional<PortSpec> out = fromType.get().ports(from.get().settings(), scope.get()).output(wire.from().port());
        Optional<PortSpec> in = toType.get().ports(to.get().settings(), scope.get()).input(wire.to().port());
        if (out.isEmpty() || in.isEmpty()) {
            return Optional.of("A wire goes from an output port to an input port.");
        }
        if (!in.get().type().accepts(out.get().type())) {
            return Optional.of("'" + in.get().name() + "' takes " + in.get().type().label() + ", but '"
                    + out.get().name() + "' gives " + out.get().type().label() + ".");
        }
        if (!in.get().sourceTypes().isEmpty() && !in.get().sourceTypes().contains(from.get().type())) {
            String names = in.get().sourceTypes().stream()
                    .map(t -> registry.descriptor(t).map(NodeDescriptor::name).orElse(t))
                    .sorted().reduce((a, b) -> a + " or " + b).orElse("");
            return Optional.of("'" + in.get().name() + "' must be wired from " + names + ".");
        }
        return Optional.empty();
    }
}
