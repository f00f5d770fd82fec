package dev.flowgraph.nodes.subflow;

import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;

/** What every node that runs a sub-flow does: start the flow its {@code flow} setting names, and stop it with itself. */
abstract class SubFlowBehaviour implements NodeBehavior {
    protected final NodeContext context;
    protected SubFlowRunner runner;

    SubFlowBehaviour(NodeContext context) {
        this.context = context;
    }

    @Override
    public void start() throws Exception {
        runner = SubFlowRunner.start(context);
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
    }
}
