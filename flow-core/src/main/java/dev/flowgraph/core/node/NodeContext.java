package dev.flowgraph.core.node;

import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/** What the runtime gives a running node. */
public interface NodeContext {

    String nodeId();

    /** The name of the flow this node runs in. */
    String flowName();

    /** The description of the flow this node runs in ("" when it has none). */
    default String flowDescription() {
        return "";
    }

    NodeDescriptor descriptor();

    /** This node's ports, as its settings make them. */
    NodePorts ports();

    /** Whether at least one wire ends in this input. */
    boolean isWired(String inputPort);

    /** The node's settings with defaults applied and {@code ${env:NAME}} references resolved. */
    NodeSettings settings();

    /** The outlet of an output port declared in the descriptor. */
    Outlet output(String port);

    /** Sends a packet on every output of this node (how failures travel on). */
    void emitAll(Packet packet);

    /**
     * Fails a run at this node, from any thread (work on a worker that went wrong): records the error in the run's
     * trace and sends a failure on every output, as when {@code receive} throws.
     */
    void fail(Run run, Exception error);

    /**
     * Starts a new run; used by entry nodes such as the API element, and by nodes that start work when the flow starts
     * (a document loader). A timeout of zero means none.
     */
    Run newRun(Duration timeout);

    /** Like {@link #newRun(Duration)}, for a run that belongs to the conversation {@code session} (null: none). */
    Run newRun(Duration timeout, String session);

    /**
     * Starts a run the flow makes for itself, such as the API element's warm-up requests: it flows like any other, but
     * run and activity listeners never hear of it, so nothing records, shows or counts it.
     */
    Run newInternalRun(Duration timeout);

    /**
     * A run is over: an entry node reports that its answer has fully come back (or failed), a sink such as the vector
     * index that it has stored (or dropped) what the run brought. Its trace is then complete.
     */
    void runFinished(Run run);

    /** The run that lives as long as the flow: it carries the Initiator's keep-alive signal. */
    Run flowRun();

    /** Runs a task on this node's mailbox, after the packets already queued. */
    void onMailbox(Runnable task);

    /** A pool for slow work that must stay off the mailbox. */
    ExecutorService workers();

    RuntimeOptions options();

    /**
     * The running nodes of this flow whose behaviour is a {@code type}, such as a {@link
     * dev.flowgraph.core.chat.TokenCounter}: how a node uses a service another node offers without knowing its type.
     */
    <T> java.util.List<T> nodesOf(Class<T> type);

    /** Where conversations and run history are kept (see {@link RuntimeOptions#store()}). */
    default dev.flowgraph.core.store.Store store() {
        return options().store();
    }

    /**
     * Starts the flow saved in {@code file} inside this one, as a sub-flow: with this flow's node types and
     * environment, never serving the network, its relative paths starting in its own folder. It stops when this
     * flow stops. Feed it through {@link FlowRuntime#flowInputs()} with {@link Run#child} runs.
     */
    FlowRuntime startSubFlow(Path file) throws FlowStartException;
}
