package dev.flowgraph.nodes.subflow;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.value.WholeInput;
import dev.flowgraph.nodes.route.Rule;

import java.util.ArrayList;
import java.util.List;

/** Runs a sub-flow again on its own output until a condition holds, or at most {@code maxIterations} times. */
public final class Repeat implements NodeType {
    public static final String TYPE = "flow.repeat";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Repeat")
            .category("Flow")
            .description("Runs a sub-flow on the input, then again on its own output, until 'until' holds on an "
                    + "output or 'maxIterations' runs are done (the guard is always there). The last output goes on; "
                    + "the run's trace says how many iterations ran and why they stopped. The sub-flow has one Flow "
                    + "input and its first Flow output is the result.")
            .input(PortSpec.required("value", DataType.ANY, "The first input (waits for its end)"))
            .output(PortSpec.output("value", DataType.ANY, "The last iteration's output"))
            .setting(FlowInterfaceFile.flowSetting(" at each iteration"))
            .setting(SettingSpec.string("until", "always").asRequired()
                    .help("Stop when an output meets this rule: " + Rule.SYNTAX + ". 'always' runs once."))
            .setting(SettingSpec.integer("maxIterations", 5).range(1, 1000).help("Most iterations of one run."))
            .loopBoundary()
            .check((settings, scope) -> {
                List<SettingProblem> problems = new ArrayList<>(FlowInterfaceFile.problems(scope,
                        settings.string(FlowInterfaceFile.FLOW), true));
                try {
                    Rule.parse(settings.string("until"), false);
                } catch (IllegalArgumentException e) {
                    problems.add(new SettingProblem("until", e.getMessage()));
                }
                return problems;
            })
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new Behaviour(context);
    }

    private static final class Behaviour extends SubFlowBehaviour {
        private final Outlet out;
        private final Rule until;
        private final int maxIterations;
        private final WholeInput input;

        Behaviour(NodeContext context) {
            super(context);
            this.out = context.output("value");
            this.until = Rule.parse(context.settings().string("until"), false);
            this.maxIterations = context.settings().integer("maxIterations");
            this.input = new WholeInput(out, (run, value, end) -> iterate(run, value, 1));
        }

        @Override
        public void receive(String inputPort, Packet packet) throws Exception {
            input.receive(packet);
        }

        /** Runs iteration {@code n} on {@code value}; its completion, back on the mailbox, decides on the next. */
        private void iterate(Run run, Object value, int n) {
            runner.callWhole(run, context.nodeId() + "#" + n + "/", value).whenComplete((result, error) ->
                    context.onMailbox(() -> {
                        if (error != null) {
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            context.fail(run, new IllegalStateException("iteration " + n + " failed: "
                                    + cause.getMessage()));
                            return;
                        }
                        boolean met = until.test(result);
                        if (!met && n < maxIterations && !run.isCancelled()) {
                            iterate(run, result, n + 1);
                            return;
                        }
                        run.trace().note(context.nodeId(), "iterations", Integer.toString(n));
                        run.trace().note(context.nodeId(), "stopped", met ? "condition held" : run.isCancelled()
                                ? "cancelled" : "maxIterations (" + maxIterations + ") reached");
                        out.emit(new Packet.Delta(run, result));
                        out.emit(Packet.End.of(run));
                    }));
        }

    }
}
