package dev.flowgraph.core.run;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node's serial mailbox: tasks run one at a time, in the order posted, on a shared pool. A drain runs until
 * the queue is empty, so a busy stream costs one pool hand-off per burst, not per packet.
 */
final class Mailbox {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor pool;
    private final Runnable drain = this::drain;

    Mailbox(Executor pool) {
        this.pool = pool;
    }

    void post(Runnable task) {
        queue.offer(task);
        if (scheduled.compareAndSet(false, true)) {
            pool.execute(drain);
        }
    }

    /** Waits until everything posted before this call has run. */
    boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        post(done::countDown);
        return done.await(timeout, unit);
    }

    private void drain() {
        Runnable task;
        while ((task = queue.poll()) != null) {
            task.run();
        }
        scheduled.set(false);
        // A task posted between the last poll and the reset would otherwise wait for the next post.
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            pool.execute(drain);
        }
    }
}
