package dev.flowgraph.core.run;

/**
 * What one node did in one run. Times are {@link System#nanoTime()} values relative to the run's start.
 *
 * @param error the node's error message, or null
 */
public record NodeTrace(String nodeId, long startNanos, long endNanos, int tokensIn, int tokensOut, String error) {
}
