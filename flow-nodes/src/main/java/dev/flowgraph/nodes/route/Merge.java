package dev.flowgraph.nodes.route;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;

/**
 * Joins branches: wire every branch into its one input; each run's first stream goes on, and when no branch brought
 * the run, the run ends in an error naming this node. The runtime does the joining (first stream wins, not-taken marks
 * counted per input), so the behaviour only passes packets on.
 */
public final class Merge implements NodeType {
    public static final String TYPE = "route.merge";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Merge")
            .category("Logic")
            .description("Joins branches before a node that takes one stream (such as the API element's answer): wire "
                    + "every branch into 'in'; each run's first stream goes on as it arrives. If no branch brought a "
                    + "run, the run ends with an error naming this node.")
            .input(PortSpec.required("in", DataType.ANY, "Every branch, each on its own wire").takingMany())
            .output(PortSpec.output("out", DataType.ANY, "The run's stream, from whichever branch brought it"))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Outlet out = context.output("out");
        return (inputPort, packet) -> out.emit(packet);
    }
}
