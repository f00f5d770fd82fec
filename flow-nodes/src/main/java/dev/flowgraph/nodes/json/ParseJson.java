package dev.flowgraph.nodes.json;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.core.value.WholeInput;

/** Text → JSON, failing the run with the place where the text stops being JSON. */
public final class ParseJson implements NodeType {
    public static final String TYPE = "json.parse";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Parse JSON")
            .category("JSON")
            .description("Reads a run's whole text as JSON. Text that is not JSON fails the run with the line, the "
                    + "column and the text around that place quoted (» marks it).")
            .input(PortSpec.required("text", DataType.TEXT, "JSON text (waits for its end)"))
            .output(PortSpec.output("json", DataType.JSON, "The value"))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Outlet out = context.output("json");
        WholeInput input = new WholeInput(out, (run, value, end) -> {
            out.emit(new Packet.Delta(run, Values.json(value)));
            out.emit(new Packet.End(run, end.usage(), end.finishReason()));
        });
        return (inputPort, packet) -> input.receive(packet);
    }
}
