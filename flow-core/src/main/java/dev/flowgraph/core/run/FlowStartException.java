package dev.flowgraph.core.run;

import dev.flowgraph.core.validate.Problem;

import java.util.List;

/** The flow could not start: it is invalid, or a node failed to start (message says which and why). */
public class FlowStartException extends Exception {
    private final List<Problem> problems;

    public FlowStartException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public FlowStartException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
    }

    public List<Problem> problems() {
        return problems;
    }
}
