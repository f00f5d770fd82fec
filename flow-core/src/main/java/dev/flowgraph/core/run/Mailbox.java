package dev.flowgraph.core.run;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node's serial mailbox: tasks run one at a time, in the order posted.
 * <p>
 * When the mailbox is idle, the posting thread runs the tasks itself (a few at most, and never deeper than a
 * few mailboxes down its stack), and hands what is left to the pool. A token then reaches the API element
 * without waking another thread: on a two-core machine each wake-up per token costs several percent of the
 * generation speed. Order and one-at-a-time are kept either way, so node code still needs no locks.
 */
final class Mailbox {
    private static final int INLINE_BUDGET = 64;
    private static final int MAX_INLINE_DEPTH = 4;
    private static final ThreadLocal<int[]> INLINE_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor pool;
    private final Runnable drain = () -> drain(Integer.MAX_VALUE);
    private final AtomicBoolean held;

    Mailbox(Executor pool) {
        this(pool, false);
    }

    /**
     * @param held tasks posted are kept until {@link #open}: a node gets no packet before it has started (an
     *             Initiator may send while the nodes after it still load their models)
     */
    Mailbox(Executor pool, boolean held) {
        this.pool = pool;
        this.held = new AtomicBoolean(held);
        scheduled.set(held); // "someone is draining": posts only queue until open() hands the queue to the pool
    }

    /** Lets a held mailbox run what was posted to it, and all later posts. Idempotent. */
    void open() {
        if (held.compareAndSet(true, false)) {
            pool.execute(drain);
        }
    }

    void post(Runnable task) {
        queue.offer(task);
        if (!scheduled.compareAndSet(false, true)) {
            return; // someone is draining, or a drain is queued: it will run this task
        }
        int[] depth = INLINE_DEPTH.get();
        if (depth[0] >= MAX_INLINE_DEPTH) {
            pool.execute(drain);
            return;
        }
        depth[0]++;
        try {
            drain(INLINE_BUDGET);
        } finally {
            depth[0]--;
        }
    }

    /** Waits until everything posted before this call has run. */
    boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        post(done::countDown);
        return done.await(timeout, unit);
    }

    /** Runs up to {@code budget} tasks; whoever holds {@code scheduled} calls this, so only one thread at a time. */
    private void drain(int budget) {
        Runnable task;
        int ran = 0;
        while (ran < budget && (task = queue.poll()) != null) {
            task.run();
            ran++;
        }
        if (ran == budget && !queue.isEmpty()) {
            pool.execute(drain); // still holding `scheduled`: the pool carries on
            return;
        }
        scheduled.set(false);
        // A task posted between the last poll and the reset would otherwise wait for the next post.
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            pool.execute(drain);
        }
    }
}
