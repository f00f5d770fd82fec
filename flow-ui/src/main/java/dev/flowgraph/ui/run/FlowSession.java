package dev.flowgraph.ui.run;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowEntry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.NodeActivityListener;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.ui.canvas.NodeCard;
import dev.flowgraph.ui.inspect.InspectedRun;
import dev.flowgraph.ui.inspect.RunCapture;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The flow running in the editor's process (Run / Stop): starts and stops the runtime off the UI thread, reports
 * each node's state as runs go through it, and sends Try-it messages through the flow's API element.
 */
public final class FlowSession {
    private static final Logger log = LoggerFactory.getLogger(FlowSession.class);

    /** Where the session is. */
    public enum Status { STOPPED, STARTING, RUNNING, STOPPING, FAILED }

    /** Receives node states on the UI thread. */
    public interface NodeStates {
        void show(String nodeId, NodeCard.State state, String detail);
    }

    private final NodeRegistry registry;
    private final Function<String, String> environment;
    private final NodeStates states;
    private final Consumer<InspectedRun> finishedRuns;
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(Status.STOPPED);
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("");
    private volatile FlowRuntime runtime;
    /** Runs in flight whose counters (files, chunks...) the cards show; read on the UI thread. */
    private final java.util.Set<Run> countedRuns = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** What each node's card last showed of its counters, kept after the run: the result of an ingestion. */
    private final java.util.Map<String, String> shownCounts = new java.util.HashMap<>();
    /** The state each card shows (UI thread): counters update the detail, never the state. */
    private final java.util.Map<String, NodeCard.State> shownStates = new java.util.HashMap<>();
    private final javafx.animation.Timeline countsTimer = new javafx.animation.Timeline(
            new javafx.animation.KeyFrame(javafx.util.Duration.millis(250), e -> showCounts()));
    /** The API elements' URLs, shown on their cards whatever their state. */
    private final java.util.Map<String, String> urls = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param states       told each node's state as runs go through it, on the UI thread
     * @param finishedRuns given each finished run with what every output sent in it, on the UI thread
     */
    public FlowSession(NodeRegistry registry, Function<String, String> environment, NodeStates states,
                       Consumer<InspectedRun> finishedRuns) {
        this.registry = registry;
        this.environment = environment;
        this.states = states;
        this.finishedRuns = finishedRuns;
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The API element's URL while running, or why the flow did not start. */
    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    /** Starts the flow as drawn; relative paths (models) resolve against {@code baseDir}. Call on the UI thread. */
    public void start(FlowDocument flow, Path baseDir) {
        if (status.get() == Status.STARTING || status.get() == Status.RUNNING) {
            return;
        }
        status.set(Status.STARTING);
        detail.set("starting " + flow.name() + "…");
        Thread starter = new Thread(() -> {
            try {
                // Listeners go in before the nodes start: an Initiator sets an ingestion off at once.
                FlowRuntime started = FlowRuntime.start(flow, registry,
                        RuntimeOptions.serving(baseDir).withEnvironment(environment), starting -> {
                            starting.onNodeActivity(new Activity());
                            inspect(starting, flow);
                        });
                runtime = started;
                Platform.runLater(() -> running(flow, started));
            } catch (FlowStartException | RuntimeException e) {
                log.warn("flow '{}' did not start: {}", flow.name(), e.getMessage());
                Platform.runLater(() -> {
                    status.set(Status.FAILED);
                    detail.set(e.getMessage());
                });
            }
        }, "flow-editor-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** Records what each run's outputs send, and hands each finished run to the editor to show. */
    private void inspect(FlowRuntime started, FlowDocument flow) {
        RunCapture capture = new RunCapture();
        java.util.Map<Run, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();
        started.onRunStarted(run -> {
            startedAt.put(run, System.currentTimeMillis());
            countedRuns.add(run);
        });
        started.tapWires(capture);
        started.onRunFinished(run -> {
            Long at = startedAt.remove(run);
            InspectedRun inspected = capture.finish(run, flow, entryNodeId(started),
                    at == null ? System.currentTimeMillis() : at);
            Platform.runLater(() -> {
                showCounts();
                countedRuns.remove(run);
                finishedRuns.accept(inspected);
            });
        });
    }

    private static String entryNodeId(FlowRuntime started) {
        return started.entries().stream().findFirst().map(FlowEntry::nodeId).orElse(null);
    }


    private void running(FlowDocument flow, FlowRuntime started) {
        for (FlowEntry entry : started.entries()) {
            if (entry instanceof ApiElementNode api && api.server() != null) {
                urls.put(api.nodeId(), api.server().url() + "/prompt");
            }
        }
        flow.nodes().forEach(node -> show(node.id(), shownStates.getOrDefault(node.id(), NodeCard.State.IDLE),
                detailOf(node.id())));
        countsTimer.setCycleCount(javafx.animation.Animation.INDEFINITE);
        countsTimer.play();
        status.set(Status.RUNNING);
        detail.set(urls.isEmpty() ? "running" : "serving " + String.join(", ", urls.values()));
    }

    /** Stops the flow; node cards go back to their plain look. Call on the UI thread. */
    public void stop(Iterable<String> nodeIds) {
        FlowRuntime r = runtime;
        runtime = null;
        urls.clear();
        countsTimer.stop();
        countedRuns.clear();
        shownCounts.clear();
        shownStates.clear();
        nodeIds.forEach(id -> states.show(id, NodeCard.State.STOPPED, null));
        if (r == null) {
            status.set(Status.STOPPED);
            detail.set("");
            return;
        }
        status.set(Status.STOPPING);
        Thread stopper = new Thread(() -> {
            r.close();
            Platform.runLater(() -> {
                status.set(Status.STOPPED);
                detail.set("");
            });
        }, "flow-editor-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Stops the flow and waits for it (the editor is closing). */
    public void shutdown() {
        FlowRuntime r = runtime;
        runtime = null;
        if (r != null) {
            r.close();
        }
    }

    public boolean isRunning() {
        return runtime != null;
    }

    /**
     * Sends a conversation through the flow's API element, in-process; {@code listener} gets each packet on the
     * thread that produces it.
     *
     * @throws IllegalStateException when the flow is not running or has no single API element
     */
    public Run send(ChatRequest request, Consumer<Packet> listener) {
        FlowRuntime r = runtime;
        if (r == null) {
            throw new IllegalStateException("Run the flow first.");
        }
        FlowEntry entry = r.entry();
        return entry.submit(request, listener);
    }

    /**
     * Shows each run's counters on the cards of the nodes that count them ({@code files 3/5 · skipped 1} on the
     * loader); called on the UI thread four times a second while the flow runs, and once more as a run finishes.
     */
    private void showCounts() {
        java.util.Map<String, java.util.List<String>> byNode = new java.util.LinkedHashMap<>();
        for (Run run : countedRuns) {
            for (dev.flowgraph.core.run.RunProgress.Count count : run.progress().counts()) {
                if (count.nodeId() != null) {
                    byNode.computeIfAbsent(count.nodeId(), k -> new java.util.ArrayList<>()).add(count.toString());
                }
            }
        }
        byNode.forEach((nodeId, counts) -> {
            String text = String.join(" · ", counts);
            if (!text.equals(shownCounts.put(nodeId, text))) {
                show(nodeId, shownStates.getOrDefault(nodeId, NodeCard.State.IDLE), text);
            }
        });
    }

    /** Shows a node's state on its card; on the UI thread. */
    private void show(String nodeId, NodeCard.State state, String detail) {
        shownStates.put(nodeId, state);
        states.show(nodeId, state, detail);
    }

    /** What a node's card says beside its state: its counters if it counts, else the API element's URL. */
    private String detailOf(String nodeId) {
        String counts = shownCounts.get(nodeId);
        return counts != null ? counts : urls.get(nodeId);
    }

    /** Node states as runs pass through; forwarded to the UI thread (a few events per run, not per token). */
    private final class Activity implements NodeActivityListener {
        @Override
        public void started(Run run, String nodeId) {
            Platform.runLater(() -> show(nodeId, NodeCard.State.RUNNING, detailOf(nodeId)));
        }

        @Override
        public void ended(Run run, String nodeId, String error) {
            Platform.runLater(() -> show(nodeId,
                    error == null ? NodeCard.State.IDLE : NodeCard.State.ERROR, error == null ? detailOf(nodeId) : error));
        }
    }
}
