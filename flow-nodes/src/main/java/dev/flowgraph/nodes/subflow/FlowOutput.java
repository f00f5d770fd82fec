package dev.flowgraph.nodes.subflow;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.run.FlowInterface;
import dev.flowgraph.core.run.Packet;

import java.util.List;
import java.util.function.Consumer;

/** Where a result leaves a flow used as a sub-flow (or printed by {@code flow run}). */
public final class FlowOutput implements NodeType {
    public static final String TYPE = "flow.output";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Flow output")
            .category("Flow")
            .description("Declares an output of this flow: a Sub-flow node that runs this file gets an output port of "
                    + "this name and type, and what arrives here goes out there, streamed as it comes.")
            .setting(InterfaceSettings.name("output"))
            .setting(InterfaceSettings.dataType("What the port gives"))
            .setting(InterfaceSettings.description())
            .seesNotTaken()
            .ports("the input's type follows 'dataType'", (settings, scope) -> new NodePorts(
                    List.of(PortSpec.required("value", InterfaceSettings.typeOf(settings),
                            "The flow's result")), List.of()))
            .build();

    /**
     * A Flow output node declaring the flow's output {@code name} of {@code type} (text, JSON or chat), as
     * the editor writes one when it extracts a sub-flow.
     */
    public static dev.flowgraph.core.flow.NodeInstance declare(String id, String name, DataType type,
                                                               dev.flowgraph.core.flow.Position at) {
        return new dev.flowgraph.core.flow.NodeInstance(id, TYPE, at, java.util.Map.of(InterfaceSettings.NAME, name,
                InterfaceSettings.DATA_TYPE, InterfaceSettings.nameOf(type)));
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new Behaviour(context);
    }

    private static final class Behaviour implements NodeBehavior, FlowInterface.Output {
        private final String name;
        private final DataType type;
        private volatile Consumer<Packet> sink = packet -> {
        };

        Behaviour(NodeContext context) {
            this.name = context.settings().string(InterfaceSettings.NAME);
            this.type = InterfaceSettings.typeOf(context.settings());
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public DataType type() {
            return type;
        }

        @Override
        public void sendTo(Consumer<Packet> sink) {
            this.sink = sink;
        }

        @Override
        public void receive(String inputPort, Packet packet) {
            sink.accept(packet instanceof Packet.Delta d ? new Packet.Delta(d.run(), FlowInput.convert(d.value(), type))
                    : packet);
        }
    }
}
