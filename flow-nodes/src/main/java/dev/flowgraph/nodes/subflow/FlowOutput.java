package dev.flowgraph.nodes.subflow;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
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
            .setting(SettingSpec.string("name", "output").matching(FlowInput.NAME_PATTERN).asRequired()
                    .help("The port's name on the calling node (letters, digits, '_', '-')."))
            .setting(SettingSpec.choice("dataType", "text", "text", "json", "chat")
                    .help("What the port gives: text, a JSON value, or a conversation."))
            .setting(SettingSpec.text("description", "").help("Shown with the port on the calling node."))
            .seesNotTaken()
            .ports("the input's type follows 'dataType'", (settings, scope) -> new NodePorts(
                    List.of(PortSpec.required("value", FlowInput.dataType(settings.string("dataType")),
                            "The flow's result")), List.of()))
            .build();

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
            this.name = context.settings().string("name");
            this.type = FlowInput.dataType(context.settings().string("dataType"));
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
