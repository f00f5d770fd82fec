package dev.flowgraph.core.run;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.flow.FlowFileException;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.validate.FlowValidator;
import dev.flowgraph.core.validate.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A flow while it runs: one {@link RunningNode} per node, wired as the flow says. {@link #start} validates,
 * creates and starts every node, then waits until the Initiators' keep-alive has reached its listeners;
 * {@link #close} stops the nodes, lets their last packets through, and frees them.
 */
public final class FlowRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FlowRuntime.class);

    private final FlowDocument flow;
    private final RuntimeOptions options;
    private final NodeRegistry registry;
    private final List<FlowRuntime> subFlows = new CopyOnWriteArrayList<>();
    private final ExecutorService mailboxPool = Executors.newCachedThreadPool(daemonThreads("flow-mailbox"));
    private final ExecutorService workers = Executors.newCachedThreadPool(daemonThreads("flow-worker"));
    private final AtomicLong runIds = new AtomicLong();
    private final Run flowRun = new Run(0, 0);
    private final Map<String, RunningNode> nodes = new LinkedHashMap<>();
    private final List<RunningNode> started = new ArrayList<>();
    private final List<Consumer<Run>> runStartListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Run>> runListeners = new CopyOnWriteArrayList<>();
    private final List<NodeActivityListener> activityListeners = new CopyOnWriteArrayList<>();
    private volatile WireTap tap;
    private volatile boolean closed;

    private FlowRuntime(FlowDocument flow, RuntimeOptions options, NodeRegistry registry) {
        this.flow = flow;
        this.options = options;
        this.registry = registry;
    }

    public static FlowRuntime start(FlowDocument flow, NodeRegistry registry, RuntimeOptions options)
            throws FlowStartException {
        return start(flow, registry, options, runtime -> {
        });
    }

    /**
     * Like {@link #start(FlowDocument, NodeRegistry, RuntimeOptions)}, with {@code beforeNodesStart} called once the
     * nodes are built and before any starts: the place to register listeners for runs that nodes begin as soon as
     * the flow starts (an ingestion set off by the Initiator).
     */
    public static FlowRuntime start(FlowDocument flow, NodeRegistry registry, RuntimeOptions options,
                                    Consumer<FlowRuntime> beforeNodesStart) throws FlowStartException {
        List<Problem> found = new FlowValidator(registry).validate(flow, options.scope());
        found.stream().filter(Problem::isWarning).forEach(w -> log.warn("flow '{}': {}", flow.name(), w));
        List<Problem> problems = found.stream().filter(p -> !p.isWarning()).toList();
        if (!problems.isEmpty()) {
            throw new FlowStartException("the flow '" + flow.name() + "' has " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + ":\n" + problems.stream().map(p -> "  - " + p)
                    .collect(Collectors.joining("\n")), problems);
        }
        FlowRuntime runtime = new FlowRuntime(flow, options, registry);
        try {
            runtime.build(registry);
            beforeNodesStart.accept(runtime);
            runtime.startNodes();
            runtime.awaitIdle();
            runtime.announceStarted();
        } catch (FlowStartException e) {
            runtime.close();
            throw e;
        } catch (RuntimeException | InterruptedException e) {
            runtime.close();
            throw new FlowStartException("the flow could not start: " + e.getMessage(), e);
        }
        log.info("flow '{}' running ({} nodes)", flow.name(), runtime.nodes.size());
        return runtime;
    }

    private void build(NodeRegistry registry) throws FlowStartException {
        for (NodeInstance instance : flow.nodes()) {
            NodeType type = registry.find(instance.type()).orElseThrow();
            NodeDescriptor d = type.descriptor();
            NodeSettings settings;
            try {
                settings = NodeSettings.resolve(instance.id(), d, instance.settings(), options.environment(),
                        options.baseDirectories());
            } catch (IllegalArgumentException e) {
                throw new FlowStartException(e.getMessage(), e);
            }
            NodePorts ports = d.ports(NodeSettings.lenient(d, instance.settings(), options.scope()), options.scope());
            nodes.put(instance.id(), new RunningNode(this, instance, d, ports, settings,
                    new Mailbox(mailboxPool, true)));
        }
        for (Wire w : flow.wires()) {
            nodes.get(w.from().node()).connect(w.from().port(), nodes.get(w.to().node()), w.to().port());
        }
        for (NodeInstance instance : flow.nodes()) {
            RunningNode node = nodes.get(instance.id());
            node.attach(registry.find(instance.type()).orElseThrow().create(node));
        }
    }

    private void startNodes() throws FlowStartException {
        for (RunningNode node : nodes.values()) {
            try {
                node.behavior().start();
                started.add(node);
                node.mailbox().open();
            } catch (Exception e) {
                throw new FlowStartException("node '" + node.nodeId() + "' (" + node.descriptor().name()
                        + ") could not start: " + e.getMessage(), e);
            }
        }
    }

    private void announceStarted() throws FlowStartException {
        for (RunningNode node : started) {
            try {
                node.behavior().flowStarted();
            } catch (Exception e) {
                throw new FlowStartException("node '" + node.nodeId() + "' (" + node.descriptor().name()
                        + ") could not get ready: " + e.getMessage(), e);
            }
        }
    }

    /** Waits until every mailbox has handled what was posted before the call. */
    private void awaitIdle() throws InterruptedException {
        for (RunningNode node : nodes.values()) {
            if (!node.mailbox().awaitIdle(10, TimeUnit.SECONDS)) {
                log.warn("node '{}' is still busy after 10 s", node.nodeId());
            }
        }
    }

    /** The flow's description, as its file gives it ("" when none). */
    public String description() {
        return flow.description() == null ? "" : flow.description();
    }

    public String name() {
        return flow.name();
    }

    public FlowDocument flow() {
        return flow;
    }

    public RuntimeOptions options() {
        return options;
    }

    /** The running behaviour of a node, as the type its node type made it. */
    public <T> T behaviorOf(String nodeId, Class<T> type) {
        RunningNode node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("no node '" + nodeId + "' in flow '" + flow.name() + "'");
        }
        return type.cast(node.behavior());
    }

    /** Nodes through which requests enter the flow (API elements). */
    public List<FlowEntry> entries() {
        return nodes.values().stream().map(RunningNode::behavior)
                .filter(FlowEntry.class::isInstance).map(FlowEntry.class::cast).toList();
    }

    /** The flow's only entry node. */
    public FlowEntry entry() {
        List<FlowEntry> entries = entries();
        if (entries.size() != 1) {
            throw new IllegalStateException("the flow has " + entries.size()
                    + " entry nodes (API elements); exactly one is needed here");
        }
        return entries.get(0);
    }

    /**
     * Starts a run from outside the graph, to feed the flow's {@linkplain #flowInputs() Flow inputs} (as
     * {@code flow run --input} does); run listeners hear of it like any other.
     */
    public Run startRun(Duration timeout) {
        return newRun(timeout, false);
    }

    /** The Flow input nodes of this flow: where a caller feeds it when it runs as a sub-flow (or from {@code flow run}). */
    public List<FlowInterface.Input> flowInputs() {
        return behaviorsOf(FlowInterface.Input.class);
    }

    /** The Flow output nodes of this flow. */
    public List<FlowInterface.Output> flowOutputs() {
        return behaviorsOf(FlowInterface.Output.class);
    }

    <T> List<T> behaviorsOf(Class<T> type) {
        return nodes.values().stream().map(RunningNode::behavior).filter(type::isInstance).map(type::cast).toList();
    }

    /** See {@link dev.flowgraph.core.node.NodeContext#startSubFlow}. */
    FlowRuntime startSubFlow(java.nio.file.Path file) throws FlowStartException {
        FlowDocument document;
        try {
            document = FlowFiles.load(file);
        } catch (java.io.IOException | FlowFileException e) {
            throw new FlowStartException("sub-flow " + file + " could not be read: " + e.getMessage(), e);
        }
        FlowRuntime sub = start(document, registry, options.forSubFlow(file));
        subFlows.add(sub);
        return sub;
    }

    /** Calls {@code listener} with every run a node starts (a request, an ingestion), on the starting thread. */
    public void onRunStarted(Consumer<Run> listener) {
        runStartListeners.add(listener);
    }

    /** Calls {@code listener} with every run whose answer has come back to its entry node (trace complete). */
    public void onRunFinished(Consumer<Run> listener) {
        runListeners.add(listener);
    }

    /** Shows {@code tap} every packet the flow's nodes emit from now on (one tap; null removes it). */
    public void tapWires(WireTap tap) {
        this.tap = tap;
    }

    WireTap tap() {
        return tap;
    }

    /** Calls {@code listener} whenever a node starts or ends its part of a run. */
    public void onNodeActivity(NodeActivityListener listener) {
        activityListeners.add(listener);
    }

    void nodeStarted(Run run, String nodeId) {
        if (run.isInternal()) {
            return;
        }
        for (NodeActivityListener listener : activityListeners) {
            listener.started(run, nodeId);
        }
    }

    void nodeEnded(Run run, String nodeId, String error) {
        if (run.isInternal()) {
            return;
        }
        for (NodeActivityListener listener : activityListeners) {
            listener.ended(run, nodeId, error);
        }
    }

    void runFinished(Run run) {
        if (run.isInternal()) {
            return;
        }
        for (Consumer<Run> listener : runListeners) {
            listener.accept(run);
        }
    }

    Run newRun(Duration timeout, boolean internal) {
        return newRun(timeout, internal, null);
    }

    Run newRun(Duration timeout, boolean internal, String session) {
        Run run = new Run(runIds.incrementAndGet(),
                timeout == null ? 0 : timeout.toNanos(), internal, session);
        if (internal) {
            return run;
        }
        for (Consumer<Run> listener : runStartListeners) {
            listener.accept(run);
        }
        return run;
    }

    Run flowRun() {
        return flowRun;
    }

    ExecutorService workers() {
        return workers;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        nodes.values().forEach(node -> node.mailbox().open()); // a node that never started still drains its queue
        for (RunningNode node : started) {
            try {
                node.behavior().stop();
            } catch (RuntimeException e) {
                log.warn("node '{}' failed to stop: {}", node.nodeId(), e.toString());
            }
        }
        try {
            awaitIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flowRun.cancel("flow stopped");
        for (int i = started.size() - 1; i >= 0; i--) {
            RunningNode node = started.get(i);
            try {
                node.behavior().close();
            } catch (Exception e) {
                log.warn("node '{}' failed to close: {}", node.nodeId(), e.toString());
            }
        }
        for (FlowRuntime sub : subFlows) {
            sub.close();
        }
        workers.shutdownNow();
        mailboxPool.shutdown();
        log.info("flow '{}' stopped", flow.name());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
