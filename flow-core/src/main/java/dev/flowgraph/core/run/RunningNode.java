package dev.flowgraph.core.run;

import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/** One node of a running flow: its behaviour, mailbox and outlets; the behaviour's {@link NodeContext}. */
final class RunningNode implements NodeContext {
    private static final Logger log = LoggerFactory.getLogger(RunningNode.class);

    private final FlowRuntime runtime;
    private final NodeInstance instance;
    private final NodeDescriptor descriptor;
    private final NodeSettings settings;
    private final Mailbox mailbox;
    private final Map<String, NodeOutlet> outlets = new HashMap<>();
    /** Runs this node has failed: their later packets stop here (touched only on the mailbox). */
    private final java.util.Set<Run> failedRuns = new java.util.HashSet<>();
    private NodeBehavior behavior;

    RunningNode(FlowRuntime runtime, NodeInstance instance, NodeDescriptor descriptor, NodeSettings settings,
                Mailbox mailbox) {
        this.runtime = runtime;
        this.instance = instance;
        this.descriptor = descriptor;
        this.settings = settings;
        this.mailbox = mailbox;
        for (PortSpec out : descriptor.outputs()) {
            outlets.put(out.name(), new NodeOutlet(out.name()));
        }
    }

    void attach(NodeBehavior behavior) {
        this.behavior = behavior;
    }

    NodeBehavior behavior() {
        return behavior;
    }

    Mailbox mailbox() {
        return mailbox;
    }

    void connect(String outputPort, RunningNode target, String inputPort) {
        outlets.get(outputPort).targets.add(new Target(target, inputPort));
    }

    /** Queues a packet for this node; called by upstream outlets from any thread. */
    void deliver(String inputPort, Packet packet) {
        mailbox.post(() -> handle(inputPort, packet));
    }

    private void handle(String inputPort, Packet packet) {
        Run run = packet.run();
        boolean flowRun = run == runtime.flowRun();
        if (!flowRun) {
            // Deltas of a cancelled run are dropped unseen; its end or failure still arrives so nodes can tidy up.
            if (packet instanceof Packet.Delta && run.isCancelled()) {
                return;
            }
            if (run.trace().received(instance.id())) {
                runtime.nodeStarted(run, instance.id());
            }
            if (!failedRuns.isEmpty() && failedRuns.contains(run)) {
                if (packet.isTerminal()) {
                    failedRuns.remove(run);
                }
                return;
            }
        }
        try {
            behavior.receive(inputPort, packet);
            if (packet.isTerminal() && !flowRun && descriptor.outputs().isEmpty()) {
                run.trace().ended(instance.id());
                runtime.nodeEnded(run, instance.id(), null);
            }
        } catch (Exception e) {
            fail(run, e);
            if (!packet.isTerminal()) {
                failedRuns.add(run);
            }
        }
    }

    @Override
    public void fail(Run run, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (run.isInternal()) {
            log.debug("node '{}' failed {} (internal): {}", instance.id(), run, message, e);
        } else {
            log.warn("node '{}' failed {}: {}", instance.id(), run, message, log.isDebugEnabled() ? e : null);
        }
        run.trace().error(instance.id(), message);
        runtime.nodeEnded(run, instance.id(), message);
        emitAll(new Packet.Failure(run, instance.id(), message));
    }

    @Override
    public String nodeId() {
        return instance.id();
    }

    @Override
    public String flowName() {
        return runtime.name();
    }

    @Override
    public NodeDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public NodeSettings settings() {
        return settings;
    }

    @Override
    public Outlet output(String port) {
        NodeOutlet outlet = outlets.get(port);
        if (outlet == null) {
            throw new IllegalArgumentException(descriptor.id() + " declares no output '" + port + "'");
        }
        return outlet;
    }

    @Override
    public void emitAll(Packet packet) {
        for (NodeOutlet outlet : outlets.values()) {
            outlet.emit(packet);
        }
    }

    @Override
    public Run newRun(Duration timeout) {
        return runtime.newRun(timeout, false);
    }

    @Override
    public Run newInternalRun(Duration timeout) {
        return runtime.newRun(timeout, true);
    }

    @Override
    public void runFinished(Run run) {
        runtime.runFinished(run);
    }

    @Override
    public Run flowRun() {
        return runtime.flowRun();
    }

    @Override
    public void onMailbox(Runnable task) {
        mailbox.post(task);
    }

    @Override
    public ExecutorService workers() {
        return runtime.workers();
    }

    @Override
    public RuntimeOptions options() {
        return runtime.options();
    }

    private record Target(RunningNode node, String port) {
    }

    private final class NodeOutlet implements Outlet {
        private final String port;
        private final List<Target> targets = new ArrayList<>(2);

        NodeOutlet(String port) {
            this.port = port;
        }

        @Override
        public void emit(Packet packet) {
            if (packet.isTerminal() && packet.run() != runtime.flowRun()) {
                packet.run().trace().ended(instance.id());
                runtime.nodeEnded(packet.run(), instance.id(),
                        packet instanceof Packet.Failure f && f.nodeId().equals(instance.id()) ? f.message() : null);
            }
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                t.node.deliver(t.port, packet);
            }
        }

        @Override
        public String toString() {
            return instance.id() + "." + port;
        }
    }
}
