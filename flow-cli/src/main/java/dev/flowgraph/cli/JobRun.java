package dev.flowgraph.cli;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code flow run} for a flow without an API element, such as an ingestion: starts the flow, waits for the runs its
 * nodes start to finish while showing their progress ({@code files 3/3 · chunks 41 · ...}), then stops it.
 */
final class JobRun {
    private static final long REDRAW_MILLIS = 250;

    private final FlowDocument flow;
    private final Path flowDirectory;
    private final PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);

    private final java.time.Duration stallTimeout;

    /** @param stallTimeout how long the runs may go without progress before giving up; zero waits for ever */
    JobRun(FlowDocument flow, Path flowDirectory, java.time.Duration stallTimeout) {
        this.flow = flow;
        this.flowDirectory = flowDirectory;
        this.stallTimeout = stallTimeout;
    }

    int call() throws InterruptedException {
        List<Run> runs = new CopyOnWriteArrayList<>();
        Set<Run> open = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        try (FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.inProcess(flowDirectory), rt -> {
                    rt.onRunStarted(run -> {
                        open.add(run);
                        runs.add(run);
                    });
                    rt.onRunFinished(open::remove);
                })) {
            if (runs.isEmpty()) {
                err.println("flow run: the flow '" + flow.name() + "' has no API element and started no work: wire "
                        + "the Initiator to a node that works when the flow starts (a document loader), or add an "
                        + "API element and pass --prompt");
                return 2;
            }
            boolean live = System.console() != null;
            String shown = "";
            String state = "";
            long lastChange = System.nanoTime();
            while (!open.isEmpty()) {
                String line = progress(runs);
                if (live && !line.equals(shown)) {
                    err.print("\r" + line + "   ");
                    shown = line;
                }
                String now = line + "|" + activity(runs);
                if (!now.equals(state)) {
                    state = now;
                    lastChange = System.nanoTime();
                } else if (!stallTimeout.isZero() && System.nanoTime() - lastChange > stallTimeout.toNanos()) {
                    if (live) {
                        err.println();
                    }
                    err.println("flow run: " + stalled(open.iterator().next()));
                    open.forEach(r -> r.cancel("no progress for " + stallTimeout.toSeconds() + " s"));
                    return 1;
                }
                Thread.sleep(REDRAW_MILLIS);
            }
            if (live) {
                err.print("\r");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            err.printf("%s   [%.1f s]%n", progress(runs), seconds);
            return report(runs);
        } catch (FlowStartException e) {
            err.println("flow run: " + e.getMessage());
            return 1;
        }
    }

    /** What the runs' nodes have done so far: it changes while any work moves. */
    private static String activity(List<Run> runs) {
        StringBuilder b = new StringBuilder();
        for (Run run : runs) {
            for (NodeTrace t : run.trace().nodes()) {
                b.append(t.nodeId()).append(t.endNanos() == 0 ? '+' : '.').append(t.tokensOut()).append(',');
            }
        }
        return b.toString();
    }

    /**
     * Why a run that stopped moving never ended: the node the work reached last whose outputs lead nowhere (or, when
     * none, simply the last node it reached).
     */
    private String stalled(Run run) {
        java.util.Set<String> feeding = new java.util.HashSet<>();
        flow.wires().forEach(w -> feeding.add(w.from().node()));
        List<NodeTrace> reached = run.trace().nodes();
        NodeTrace at = null;
        for (NodeTrace t : reached) {
            if (!feeding.contains(t.nodeId())) {
                at = t;
            }
        }
        String seconds = stallTimeout.toSeconds() + " s";
        if (at != null) {
            return "the run has not ended and made no progress for " + seconds + ": it stopped at node '" + at.nodeId()
                    + "', whose outputs are not wired, so no node ends it. Wire '" + at.nodeId() + "' on to a node that "
                    + "ends runs (a Vector index), or raise --timeout if the work is only slow.";
        }
        String last = reached.isEmpty() ? null : reached.get(reached.size() - 1).nodeId();
        return "the run has not ended and made no progress for " + seconds
                + (last == null ? "" : "; the last node it reached is '" + last + "'")
                + ". Raise --timeout if the work is only slow.";
    }

    private static String progress(List<Run> runs) {
        return String.join(" | ", runs.stream().map(r -> r.progress().toString()).toList());
    }

    /** Prints what the nodes noted and any error; non-zero when a run failed. */
    private int report(List<Run> runs) {
        int status = 0;
        for (Run run : runs) {
            for (NodeTrace node : run.trace().nodes()) {
                node.notes().forEach((key, value) -> err.println(node.nodeId() + ": " + key + " " + value));
                if (node.error() != null) {
                    err.println("flow run: failed at node '" + node.nodeId() + "': " + node.error());
                    status = 1;
                }
            }
            if (run.isCancelled()) {
                err.println("flow run: " + run + " was cancelled (" + run.cancelReason() + ")");
                status = 1;
            }
        }
        return status;
    }
}
