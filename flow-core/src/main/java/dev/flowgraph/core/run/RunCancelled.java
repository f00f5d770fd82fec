package dev.flowgraph.core.run;

/** Thrown by work that notices its run was cancelled (client gone, deadline passed, flow stopping). */
public class RunCancelled extends RuntimeException {
    public RunCancelled(Run run) {
        super("run " + run.id() + " cancelled: " + run.cancelReason(), null, false, false);
    }
}
