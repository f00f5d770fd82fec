package dev.flowgraph.nodes.initiator;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.run.Packet;

/**
 * The flow's keep-alive: when the flow starts it sends one signal on its output, and when the flow stops it
 * ends that stream. Nodes that serve (the API element) serve only while the signal is on.
 */
public final class Initiator implements NodeType {
    public static final String TYPE = "initiator";
    public static final String SIGNAL = "signal";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Initiator")
            .category("Flow")
            .description("Keeps the flow alive: signals 'on' when the flow starts and ends the signal when it "
                    + "stops. Wire it to the API element's first input.")
            .output(PortSpec.output(SIGNAL, DataType.SIGNAL, "On while the flow runs"))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Outlet signal = context.output(SIGNAL);
        return new NodeBehavior() {
            @Override
            public void start() {
                signal.emit(new Packet.Delta(context.flowRun(), "on"));
            }

            @Override
            public void receive(String inputPort, Packet packet) {
                // No inputs.
            }

            @Override
            public void stop() {
                signal.emit(Packet.End.of(context.flowRun()));
            }
        };
    }
}
