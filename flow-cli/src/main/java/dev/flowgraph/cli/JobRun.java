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

    JobRun(FlowDocument flow, Path flowDirectory) {
        this.flow = flow;
        this.flowDirectory = flowDirectory;
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
            while (!open.isEmpty()) {
                String line = progress(runs);
                if (live && !line.equals(shown)) {
                    err.print("\r" + line + "   ");
                    shown = line;
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
