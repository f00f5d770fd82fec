package dev.flowgraph.api.jobs;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.http.Admission;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.store.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs this instance's share of the background jobs: whenever the flow has a free slot (the same slots clients
 * take), it claims the oldest queued job from the store, so any instance sharing the database may run any job,
 * and runs it through the flow like a client's request. The answer goes into the job's log as it grows (written at
 * most every {@link #LOG_EVERY_MILLIS}, and at once for the first piece); a job cancelled meanwhile is stopped at its
 * next write. Its own thread claims; each job runs on a thread of its own; nothing here is on a client's path.
 */
public final class JobRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    static final long LOG_EVERY_MILLIS = 100;
    /** How often the queue is looked at when nothing says a job came (another instance's submissions). */
    private static final long IDLE_POLL_MILLIS = 250;

    private final ApiElementNode element;
    private final Admission admission;
    private final Jobs jobs;
    private final String flow;
    private final BooleanSupplier ready;
    private volatile String instance;
    private final Semaphore wake = new Semaphore(0);
    private final ExecutorService running = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flow-job");
        t.setDaemon(true);
        return t;
    });
    private final Thread claimer;
    private volatile boolean closed;

    /** @param ready whether the instance takes work now (started, warmed up, not draining) */
    public JobRunner(ApiElementNode element, Admission admission, Jobs jobs, String flow, BooleanSupplier ready) {
        this.element = element;
        this.admission = admission;
        this.jobs = jobs;
        this.flow = flow;
        this.ready = ready;
        this.claimer = new Thread(this::claimLoop, "flow-jobs-claimer");
        claimer.setDaemon(true);
    }

    /**
     * Starts claiming as {@code instance} (host:port, as run history names it), once the jobs an earlier process of
     * this instance left running are failed or queued again.
     */
    public void start(String instance, boolean requeueInterrupted) {
        this.instance = instance;
        try {
            int left = jobs.recoverLeftovers(flow, instance, requeueInterrupted);
            if (left > 0) {
                log.warn("{} job(s) of an earlier process at {} were cut off when it stopped: {}", left, instance,
                        requeueInterrupted ? "queued again" : "marked failed");
            }
        } catch (RuntimeException e) {
            log.warn("could not recover the jobs an earlier process left: {}", e.getMessage());
        }
        claimer.start();
    }

    /** A job was submitted here, or a slot was freed: look at the queue now. */
    public void wake() {
        wake.release();
    }

    private void claimLoop() {
        while (!closed) {
            try {
                if (!ready.getAsBoolean() || !element.isAlive() || !admission.hasFreeSlot()) {
                    pause(IDLE_POLL_MILLIS); // a slot freed by a job or a client wakes us, or the poll does
                    continue;
                }
                // Only a queued job takes a slot: holding one just to look would turn a client away (503 busy).
                boolean queued;
                try {
                    queued = jobs.hasQueued(flow);
                } catch (RuntimeException e) {
                    log.warn("jobs: cannot read the queue: {}", e.getMessage());
                    pause(1_000);
                    continue;
                }
                if (!queued) {
                    pause(IDLE_POLL_MILLIS);
                    continue;
                }
                Admission.Ticket slot = admission.tryTicket();
                if (slot == null) {
                    pause(IDLE_POLL_MILLIS);
                    continue;
                }
                Optional<Jobs.Job> job;
                try {
                    job = jobs.claimNext(flow, instance);
                } catch (RuntimeException e) {
                    slot.release();
                    log.warn("jobs: cannot read the queue: {}", e.getMessage());
                    pause(1_000);
                    continue;
                }
                if (job.isEmpty()) {
                    slot.release();
                    pause(IDLE_POLL_MILLIS);
                    continue;
                }
                running.execute(() -> run(job.get(), slot));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pause(long millis) throws InterruptedException {
        wake.tryAcquire(millis, TimeUnit.MILLISECONDS);
        wake.drainPermits();
    }

    private void run(Jobs.Job job, Admission.Ticket slot) {
        StringBuilder text = new StringBuilder();
        try {
            LinkedBlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
            Run run;
            try {
                run = element.submit(ChatRequest.ofUser(job.prompt()), packets::offer);
            } catch (IllegalStateException e) {
                jobs.finish(job.id(), Jobs.Status.FAILED, "", "the flow is not running: " + e.getMessage());
                return;
            }
            long written = 0;
            while (true) {
                Packet packet = packets.take();
                if (packet instanceof Packet.Delta delta) {
                    text.append((String) delta.value());
                    long now = System.currentTimeMillis();
                    if ((written == 0 || now - written >= LOG_EVERY_MILLIS) && !run.isCancelled()) {
                        written = now;
                        if (!jobs.progress(job.id(), text.toString())) {
                            run.cancel("the job was cancelled");
                        }
                    }
                } else if (packet instanceof Packet.Failure failure) {
                    jobs.finish(job.id(), run.isCancelled() ? Jobs.Status.CANCELLED : Jobs.Status.FAILED,
                            text.toString(), failure.message());
                    return;
                } else if (packet.isTerminal()) {
                    jobs.finish(job.id(), run.isCancelled() ? Jobs.Status.CANCELLED : Jobs.Status.DONE,
                            text.toString(), null);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("job {}: {}", job.id(), e.toString());
            try {
                jobs.finish(job.id(), Jobs.Status.FAILED, text.toString(), e.getMessage());
            } catch (RuntimeException ignored) {
                // the store is away: the job stays running until a restart recovers it
            }
        } finally {
            slot.release();
            wake();
        }
    }

    /** Stops claiming; jobs running now go on until they end (the server's drain waits for their slots). */
    @Override
    public void close() {
        closed = true;
        claimer.interrupt();
        running.shutdown();
    }
}
