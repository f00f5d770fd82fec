package dev.flowgraph.core.run;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per node timings, token counts and errors of one run; written by the runtime and the nodes, read when it ends. */
public final class RunTrace {
    private final long runStart;
    private final ConcurrentHashMap<String, Entry> entries;
    private final String prefix;

    RunTrace(long runStart) {
        this(runStart, new ConcurrentHashMap<>(), "");
    }

    private RunTrace(long runStart, ConcurrentHashMap<String, Entry> entries, String prefix) {
        this.runStart = runStart;
        this.entries = entries;
        this.prefix = prefix;
    }

    /** A view that writes into this trace with every node id prefixed: a sub-flow's nodes nest under its node. */
    RunTrace scoped(String childPrefix) {
        return new RunTrace(runStart, entries, prefix + childPrefix);
    }

    /**
     * Called for every packet a node receives: the first one starts the node's clock.
     *
     * @return whether this was the node's first packet of the run
     */
    boolean received(String localId) {
        String nodeId = prefix + localId;
        if (entries.containsKey(nodeId)) {
            return false;
        }
        boolean[] first = {false};
        entries.computeIfAbsent(nodeId, k -> {
            first[0] = true;
            return new Entry(System.nanoTime() - runStart);
        });
        return first[0];
    }

    void ended(String nodeId) {
        entry(nodeId).end = System.nanoTime() - runStart;
    }

    public void tokens(String nodeId, int in, int out) {
        Entry e = entry(nodeId);
        synchronized (e) {
            e.tokensIn += in;
            e.tokensOut += out;
        }
    }

    public void error(String nodeId, String message) {
        Entry e = entry(nodeId);
        e.error = message;
        e.end = System.nanoTime() - runStart;
    }

    /** Records a fact about what the node did in this run, such as the sources it retrieved; shown with the trace. */
    public void note(String nodeId, String key, String value) {
        Entry e = entry(nodeId);
        synchronized (e) {
            e.notes.put(key, value);
        }
    }

    public List<NodeTrace> nodes() {
        return entries.entrySet().stream()
                .map(en -> {
                    Entry e = en.getValue();
                    synchronized (e) {
                        return new NodeTrace(en.getKey(), e.start, e.end, e.tokensIn, e.tokensOut, e.error,
                                e.notes);
                    }
                })
                .sorted(Comparator.comparingLong(NodeTrace::startNanos))
                .toList();
    }

    /** A node's trace; a node inside a sub-flow is named by its path, such as {@code "story/llm"}. */
    public java.util.Optional<NodeTrace> node(String nodeId) {
        return nodes().stream().filter(t -> t.nodeId().equals(nodeId)).findFirst();
    }

    private Entry entry(String localId) {
        return entries.computeIfAbsent(prefix + localId, k -> new Entry(System.nanoTime() - runStart));
    }

    private static final class Entry {
        final long start;
        volatile long end;
        int tokensIn;
        int tokensOut;
        volatile String error;
        final Map<String, String> notes = new LinkedHashMap<>();

        Entry(long start) {
            this.start = start;
        }
    }
}
