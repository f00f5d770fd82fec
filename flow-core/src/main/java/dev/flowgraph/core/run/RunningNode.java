package dev.flowgraph.core.run;

import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
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
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;

/**
 * One node of a running flow: its behaviour, mailbox and outlets; the behaviour's {@link NodeContext}.
 * <p>
 * It also routes each run's streams into the behaviour (see {@link RunRouting}): of several streams wired into one
 * input, the first to come is the run's; {@link Packet.NotTaken} marks are counted per input and, unless the node
 * joins branches itself, passed on once every input of the run is not taken.
 */
final class RunningNode implements NodeContext {
    private static final Logger log = LoggerFactory.getLogger(RunningNode.class);

    private final FlowRuntime runtime;
    private final NodeInstance instance;
    private final NodeDescriptor descriptor;
    private final NodePorts ports;
    private final NodeSettings settings;
    private final Mailbox mailbox;
    private final Map<String, NodeOutlet> outlets = new HashMap<>();
    /** How many wires end in each input that carries runs (SIGNAL inputs carry only the flow's keep-alive). */
    private final Map<String, Integer> wiresIn = new HashMap<>();
    /** Runs this node has failed: their later packets stop here (touched only on the mailbox). */
    private final Set<Run> failedRuns = new java.util.HashSet<>();
    /** Per-run routing state of nodes with several streams in; weak, so finished runs go with their packets. */
    private final Map<Run, RunRouting> routing = new WeakHashMap<>();
    private boolean joinsStreams;
    private NodeBehavior behavior;

    RunningNode(FlowRuntime runtime, NodeInstance instance, NodeDescriptor descriptor, NodePorts ports,
                NodeSettings settings, Mailbox mailbox) {
        this.runtime = runtime;
        this.instance = instance;
        this.descriptor = descriptor;
        this.ports = ports;
        this.settings = settings;
        this.mailbox = mailbox;
        for (PortSpec out : ports.outputs()) {
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
        int source = target.wireArriving(inputPort);
        outlets.get(outputPort).targets.add(new Target(target, inputPort, source));
    }

    /** Counts a wire into {@code inputPort}; returns its index among the wires into that input. */
    private int wireArriving(String inputPort) {
        boolean carriesRuns = ports.input(inputPort).map(p -> p.type() != DataType.SIGNAL).orElse(true);
        if (!carriesRuns) {
            return 0;
        }
        int index = wiresIn.merge(inputPort, 1, Integer::sum) - 1;
        joinsStreams = wiresIn.size() > 1 || wiresIn.values().stream().anyMatch(n -> n > 1);
        return index;
    }

    /** Queues a packet for this node; called by upstream outlets from any thread. */
    void deliver(String inputPort, int source, Packet packet) {
        mailbox.post(() -> handle(inputPort, source, packet));
    }

    private void handle(String inputPort, int source, Packet packet) {
        Run run = packet.run();
        if (run == runtime.flowRun()) {
            receive(inputPort, packet);
            return;
        }
        // Deltas of a cancelled run are dropped unseen; its end or failure still arrives so nodes can tidy up.
        if (packet instanceof Packet.Delta && run.isCancelled()) {
            return;
        }
        if (!failedRuns.isEmpty() && failedRuns.contains(run)) {
            if (packet.isTerminal()) {
                failedRuns.remove(run);
            }
            return;
        }
        if (packet instanceof Packet.NotTaken mark) {
            notTaken(inputPort, mark);
            return;
        }
        // The flow's own run (keep-alive, tools) is no request: every wire into an input brings its stream.
        if (joinsStreams && run != runtime.flowRun()) {
            RunRouting state = routing.computeIfAbsent(run, r -> new RunRouting());
            if (!state.admit(inputPort, source)) {
                return;
            }
            if (!state.notTaken.isEmpty() && !descriptor.seesNotTaken() && !descriptor.entry()) {
                failPartlyTaken(run, state, state.notTaken.entrySet().iterator().next());
                return;
            }
        }
        if (run.trace().received(instance.id())) {
            runtime.nodeStarted(run, instance.id());
        }
        receive(inputPort, packet);
    }

    private void receive(String inputPort, Packet packet) {
        Run run = packet.run();
        boolean flowRun = run == runtime.flowRun();
        try {
            behavior.receive(inputPort, packet);
            if (packet.isTerminal() && !flowRun && ports.outputs().isEmpty() && !(packet instanceof Packet.NotTaken)) {
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

    /** A not-taken mark on {@code inputPort}: once every wire into the input has brought one, the input is not taken. */
    private void notTaken(String inputPort, Packet.NotTaken mark) {
        int wires = wiresIn.getOrDefault(inputPort, 1);
        RunRouting state = joinsStreams ? routing.computeIfAbsent(mark.run(), r -> new RunRouting()) : null;
        if (state != null && !state.markArrived(inputPort, wires)) {
            return; // another branch into this input may still bring the run
        }
        Packet.NotTaken inputMark = wires > 1 && mark.joinedAt() == null
                ? new Packet.NotTaken(mark.run(), mark.routedAt(), instance.id()) : mark;
        if (descriptor.seesNotTaken()) {
            receive(inputPort, inputMark);
        } else if (descriptor.entry()) {
            // An entry node's answer input: the run must be answered, and no branch will. End it with an error.
            String at = inputMark.joinedAt() != null ? inputMark.joinedAt() : inputMark.routedAt();
            receive(inputPort, new Packet.Failure(mark.run(), at, inputMark.explain()));
        } else if (state == null) {
            passOn(inputMark);
        } else {
            state.notTaken.put(inputPort, inputMark);
            if (state.notTaken.size() == wiresIn.size()) {
                passOn(inputMark);
            } else if (!state.takenFrom.isEmpty()) {
                failPartlyTaken(mark.run(), state, Map.entry(inputPort, inputMark));
            }
        }
    }

    private void passOn(Packet.NotTaken mark) {
        for (NodeOutlet outlet : outlets.values()) {
            outlet.emit(mark);
        }
    }

    /** Some inputs of the run came, another never will: the node cannot run. Say where to join the branches. */
    private void failPartlyTaken(Run run, RunRouting state, Map.Entry<String, Packet.NotTaken> notTaken) {
        state.failed = true;
        fail(run, new IllegalStateException("input '" + notTaken.getKey() + "' was not taken in this run ('"
                + notTaken.getValue().routedAt() + "' sent it another way) but " + state.takenInputs()
                + " came: join the branches with a Merge or Gather before this node"));
    }

    /** What a node with several streams in knows about one run. Touched only on the mailbox. */
    private final class RunRouting {
        /** The wire whose stream each input took (the first to bring one). */
        final Map<String, Integer> takenFrom = new HashMap<>(4);
        final Map<String, Integer> marks = new HashMap<>(4);
        /** Inputs every wire of which was not taken, with the mark that said so last. */
        final Map<String, Packet.NotTaken> notTaken = new HashMap<>(4);
        boolean failed;

        /** Whether a packet from wire {@code source} into {@code input} goes to the behaviour. */
        boolean admit(String input, int source) {
            if (failed) {
                return false;
            }
            Integer first = takenFrom.putIfAbsent(input, source);
            return first == null || first == source; // a second branch bringing the same run into one input: dropped
        }

        /** Counts a mark; true once every wire into the input has brought one and none brought the run. */
        boolean markArrived(String input, int wires) {
            if (failed) {
                return false;
            }
            int n = marks.merge(input, 1, Integer::sum);
            return n == wires && !takenFrom.containsKey(input);
        }

        Set<String> takenInputs() {
            return new java.util.TreeSet<>(takenFrom.keySet());
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
    public String flowDescription() {
        return runtime.description();
    }

    @Override
    public NodeDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean isWired(String inputPort) {
        return wiresIn.containsKey(inputPort);
    }

    @Override
    public NodePorts ports() {
        return ports;
    }

    @Override
    public FlowRuntime startSubFlow(java.nio.file.Path file) throws FlowStartException {
        return runtime.startSubFlow(file);
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
    public <T> java.util.List<T> nodesOf(Class<T> type) {
        return runtime.behaviorsOf(type);
    }

    @Override
    public Run newRun(Duration timeout, String session) {
        return runtime.newRun(timeout, false, session);
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

    private record Target(RunningNode node, String port, int source) {
    }

    private final class NodeOutlet implements Outlet {
        private final String port;
        private final List<Target> targets = new ArrayList<>(2);

        NodeOutlet(String port) {
            this.port = port;
        }

        @Override
        public void emit(Packet packet) {
            if (packet.isTerminal() && packet.run() != runtime.flowRun() && !(packet instanceof Packet.NotTaken)) {
                packet.run().trace().ended(instance.id());
                runtime.nodeEnded(packet.run(), instance.id(),
                        packet instanceof Packet.Failure f && f.nodeId().equals(instance.id()) ? f.message() : null);
            }
            WireTap tap = runtime.tap();
            if (tap != null && !packet.run().isInternal() && packet.run() != runtime.flowRun()) {
                tap.emitted(instance.id(), port, packet);
            }
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                t.node.deliver(t.port, t.source, packet);
            }
        }

        @Override
        public String toString() {
            return instance.id() + "." + port;
        }
    }
}
