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

    /**
     * Counts one thing that went wrong and names it ({@code skipped} with {@code broken.pdf: not a PDF}): the progress
     * line shows the first few names beside the count.
     */
    public void named(String nodeId, String name, String what) {
        Counter c = counter(name);
        c.owner = nodeId;
        synchronized (c.items) {
            c.items.add(what);
        }
        c.done.incrementAndGet();
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
    public record Count(String name, String nodeId, long done, long total, List<String> items) {
        public Count {
            items = List.copyOf(items);
        }

        /** {@code files 3/5}, or {@code chunks 41} when the total is not known. */
        @Override
        public String toString() {
            return name + ' ' + done + (total >= 0 ? "/" + total : "") + (items.isEmpty() ? ""
                    : " (" + String.join("; ", items.subList(0, Math.min(SHOWN_ITEMS, items.size())))
                    + (items.size() > SHOWN_ITEMS ? "; …" : "") + ")");
        }
    }

    /** Every counter as it stands now, in the order first used. */
    public List<Count> counts() {
        return order.stream().map(name -> {
            Counter c = counters.get(name);
            List<String> items;
            synchronized (c.items) {
                items = List.copyOf(c.items);
            }
            return new Count(name, c.owner, c.done.get(), c.total.get(), items);
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
        return String.join(" · ", counts().stream().map(Count::toString).toList());
    }

    private Counter counter(String name) {
        return counters.computeIfAbsent(name, n -> {
            order.add(n);
            return new Counter();
        });
    }

    /** How many named items a progress line shows beside their count. */
    static final int SHOWN_ITEMS = 3;

    private static final class Counter {
        volatile String owner;
        final List<String> items = new java.util.ArrayList<>();
        final AtomicLong done = new AtomicLong();
        final AtomicLong total = new AtomicLong(-1);
    }
}
