package dev.flowgraph.nodes.subflow;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.run.FlowInterface;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.value.Values;

import java.util.List;

/** Where a value enters a flow used as a sub-flow (or run with {@code flow run --input NAME=VALUE}). */
public final class FlowInput implements NodeType {
    public static final String TYPE = "flow.input";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Flow input")
            .category("Flow")
            .description("Declares an input of this flow: a Sub-flow, For each or Repeat node that runs this file "
                    + "gets an input port of this name and type, and what arrives there comes out here.")
            .setting(InterfaceSettings.name("input"))
            .setting(InterfaceSettings.dataType("What the port takes"))
            .setting(InterfaceSettings.description())
            .ports("the output's type follows 'dataType'", (settings, scope) -> new NodePorts(List.of(),
                    List.of(PortSpec.output("value", InterfaceSettings.typeOf(settings),
                            "The value given to the flow"))))
            .build();

    /**
     * A Flow input node declaring the flow's input {@code name} of {@code type} (text, JSON or chat), as
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

    /** Converts a value to the declared type: text, JSON, or a conversation (text becomes one user message). */
    static Object convert(Object value, DataType type) {
        return switch (type) {
            case JSON -> Values.json(value);
            case CHAT -> value instanceof ChatRequest chat ? chat : ChatRequest.ofUser(Values.text(value));
            default -> value instanceof String ? value : Values.text(value);
        };
    }

    private static final class Behaviour implements NodeBehavior, FlowInterface.Input {
        private final NodeContext context;
        private final String name;
        private final DataType type;
        private final Outlet out;

        Behaviour(NodeContext context) {
            this.context = context;
            this.name = context.settings().string(InterfaceSettings.NAME);
            this.type = InterfaceSettings.typeOf(context.settings());
            this.out = context.output("value");
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
        public void accept(Packet packet) {
            context.onMailbox(() -> {
                if (context.flowRun().equals(packet.run())) {
                    return;
                }
                try {
                    out.emit(packet instanceof Packet.Delta d ? new Packet.Delta(d.run(), convert(d.value(), type))
                            : packet);
                } catch (IllegalArgumentException e) {
                    context.fail(packet.run(), e);
                }
            });
        }

        @Override
        public void receive(String inputPort, Packet packet) {
            // no inputs: values come through accept()
        }
    }
}
