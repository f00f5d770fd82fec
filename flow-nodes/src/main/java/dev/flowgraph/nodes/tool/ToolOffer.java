package dev.flowgraph.nodes.tool;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.tool.Tool;

/**
 * What every tool node does the same way: a TOOL output, and its tools sent on the flow's own run (one delta each when
 * the flow starts, the end when it stops), which is how an Agent wired to it receives them. Tool nodes have no inputs.
 */
public abstract class ToolOffer implements NodeBehavior {
    /** The output of a node that offers one tool. */
    public static final PortSpec TOOL = PortSpec.output("tool", DataType.TOOL, "The tool, for an Agent's tools input");

    protected final NodeContext context;
    private final Outlet out;

    protected ToolOffer(NodeContext context, PortSpec output) {
        this.context = context;
        this.out = context.output(output.name());
    }

    /** The {@code name} setting of a node that offers one tool. */
    public static SettingSpec nameSetting() {
        return SettingSpec.string("name", null).asRequired().matching("[A-Za-z0-9_-]{1,64}")
                .help("The tool's name, as the model calls it: letters, digits, '_' and '-'.");
    }

    /** Sends {@code tool} to every agent wired to this node; call it from {@link #start}. */
    protected final void offer(Tool tool) {
        out.emit(new Packet.Delta(context.flowRun(), tool));
    }

    @Override
    public final void receive(String inputPort, Packet packet) {
        // a tool node has no inputs
    }

    @Override
    public void stop() {
        out.emit(Packet.End.of(context.flowRun()));
    }
}
