package dev.flowgraph.nodes.subflow;

import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;

import java.util.HashMap;
import java.util.Map;

/** Runs another flow file as one node: its Flow inputs and Flow outputs are this node's ports, streamed both ways. */
public final class SubFlow implements NodeType {
    public static final String TYPE = "flow.subflow";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Sub-flow")
            .category("Flow")
            .description("Runs another *.flow.json inside this flow, once per run. Its Flow input nodes are this "
                    + "node's inputs and its Flow output nodes its outputs; streams pass through as they come. A model "
                    + "both flows load with the same settings is loaded once. Double-click it in the editor to open it.")
            .setting(FlowInterfaceFile.flowSetting(""))
            .ports("one input per Flow input and one output per Flow output of the sub-flow", (settings, scope) ->
                    new NodePorts(FlowInterfaceFile.inputs(scope, settings.string(FlowInterfaceFile.FLOW)),
                            FlowInterfaceFile.outputs(scope, settings.string(FlowInterfaceFile.FLOW))))
            .check((settings, scope) -> FlowInterfaceFile.problems(scope, settings.string(FlowInterfaceFile.FLOW),
                    false))
            .build();

    /** A Sub-flow node running {@code flowPath} (relative to the calling flow's folder). */
    public static dev.flowgraph.core.flow.NodeInstance calling(String id, String flowPath,
                                                               dev.flowgraph.core.flow.Position at) {
        return new dev.flowgraph.core.flow.NodeInstance(id, TYPE, at, java.util.Map.of(FlowInterfaceFile.FLOW, flowPath));
    }

    /** Whether values of this type can cross into or out of a sub-flow. */
    public static boolean carries(dev.flowgraph.core.node.DataType type) {
        return InterfaceSettings.carries(type);
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new Behaviour(context);
    }

    /** Maps each run to its call into the sub-flow and the call's outputs back. Calls are made on the mailbox. */
    private static final class Behaviour extends SubFlowBehaviour {
        private final Map<Run, Call> calls = new HashMap<>();

        Behaviour(NodeContext context) {
            super(context);
        }

        /** One run's call: its child run and how many inputs have ended. */
        private static final class Call {
            Run child;
            int inputsEnded;
        }

        @Override
        public void receive(String inputPort, Packet packet) {
            Run run = packet.run();
            Call call = calls.computeIfAbsent(run, r -> {
                Call c = new Call();
                java.util.concurrent.atomic.AtomicInteger outputsEnded = new java.util.concurrent.atomic.AtomicInteger();
                int outputs = context.ports().outputs().size();
                c.child = runner.call(r, context.nodeId() + "/", (output, p) -> {
                    context.output(output).emit(p.withRun(r));
                    if (p.isTerminal() && outputsEnded.incrementAndGet() == outputs) { // outputs end on their own threads
                        runner.done(p.run());
                    }
                });
                return c;
            });
            runner.feed(inputPort, packet.withRun(call.child));
            if (packet.isTerminal() && ++call.inputsEnded == context.ports().inputs().size()) {
                calls.remove(run);
            }
        }

    }
}
