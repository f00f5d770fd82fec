package dev.flowgraph.core.run;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class MailboxTest {

    @Test
    void tasksFromManyThreadsRunOneAtATimeAndInEachThreadsOrder() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        Mailbox mailbox = new Mailbox(pool);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<List<Integer>> seen = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            seen.add(new ArrayList<>());
        }
        List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            posters.add(new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    int n = i;
                    mailbox.post(() -> {
                        if (running.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        seen.get(thread).add(n); // unsynchronised on purpose: the mailbox serialises
                        running.decrementAndGet();
                    });
                }
            }));
        }
        posters.forEach(Thread::start);
        for (Thread p : posters) {
            p.join();
        }
        assertThat(mailbox.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps.get()).isZero();
        for (List<Integer> s : seen) {
            assertThat(s).hasSize(20_000).isSorted();
        }
        pool.shutdown();
    }

    @Test
    void aChainOfMailboxesDeeperThanTheInlineLimitStillDeliversEverything() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        List<Mailbox> chain = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            chain.add(new Mailbox(pool));
        }
        AtomicInteger delivered = new AtomicInteger();
        class Hop {
            void at(int i) {
                if (i == chain.size()) {
                    delivered.incrementAndGet();
                } else {
                    chain.get(i).post(() -> at(i + 1));
                }
            }
        }
        for (int k = 0; k < 100; k++) {
            new Hop().at(0);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered.get() < 100 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(delivered.get()).isEqualTo(100);
        pool.shutdown();
    }
}
