package dev.flowgraph.core.run;

import java.util.Map;

/**
 * What one node did in one run. Times are {@link System#nanoTime()} values relative to the run's start.
 *
 * @param error the node's error message, or null
 * @param notes facts the node recorded about its work (e.g. {@code sources} for a retrieval), in the order noted
 */
public record NodeTrace(String nodeId, long startNanos, long endNanos, int tokensIn, int tokensOut, String error,
                        Map<String, String> notes) {
    public NodeTrace {
        notes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notes));
    }
}
