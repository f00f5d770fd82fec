package dev.flowgraph.core.run;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Named counters of a long run, such as an ingestion's files and chunks: nodes count, {@code flow run} and the
 * editor show them while the run goes on. Safe from any thread.
 */
public final class RunProgress {
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    /** Counter names in the order first used: along the flow, as packets go. */
    private final List<String> order = new CopyOnWriteArrayList<>();

    public void add(String name, long n) {
        counter(name).done.addAndGet(n);
    }

    /** Counts for a node: the editor shows the counter on that node's card. */
    public void add(String nodeId, String name, long n) {
        counter(name).owner = nodeId;
        add(name, n);
    }

    /** How many there will be in all, when a node knows beforehand (a loader that has listed its files). */
    public void total(String name, long total) {
        counter(name).total.set(total);
    }

    public void total(String nodeId, String name, long total) {
        counter(name).owner = nodeId;
        total(name, total);
    }

    /**
     * One counter as it stands.
     *
     * @param nodeId the node that counts it, or null when not said
     * @param total  how many in all, or -1 when not known
     */
    public record Count(String name, String nodeId, long done, long total) {
        /** {@code files 3/5}, or {@code chunks 41} when the total is not known. */
        @Override
        public String toString() {
            return name + ' ' + done + (total >= 0 ? "/" + total : "");
        }
    }

    /** Every counter as it stands now, in the order first used. */
    public List<Count> counts() {
        return order.stream().map(name -> {
            Counter c = counters.get(name);
            return new Count(name, c.owner, c.done.get(), c.total.get());
        }).toList();
    }

    public long done(String name) {
        Counter c = counters.get(name);
        return c == null ? 0 : c.done.get();
    }

    public boolean isEmpty() {
        return counters.isEmpty();
    }

    /** One line, e.g. {@code files 3/3 · chunks 41 · stored 32}. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        for (String name : order) {
            Counter c = counters.get(name);
            line.append(line.length() == 0 ? "" : " · ").append(name).append(' ').append(c.done.get());
            long total = c.total.get();
            if (total >= 0) {
                line.append('/').append(total);
            }
        }
        return line.toString();
    }

    private Counter counter(String name) {
        return counters.computeIfAbsent(name, n -> {
            order.add(n);
            return new Counter();
        });
    }

    private static final class Counter {
        volatile String owner;
        final AtomicLong done = new AtomicLong();
        final AtomicLong total = new AtomicLong(-1);
    }
}
