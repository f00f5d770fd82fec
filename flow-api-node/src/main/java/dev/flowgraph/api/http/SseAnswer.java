package dev.flowgraph.api.http;

import dev.flowgraph.api.sse.PromptEvents;
import dev.flowgraph.api.sse.SseFormat;
import dev.flowgraph.core.run.Packet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One answer being streamed as server-sent events, in the request's dialect. Packets are written by the
 * thread that delivers them (usually the one generating the tokens), so a token reaches the socket without
 * waking the request's worker thread; the worker only waits for the end and sends keep-alive comments while
 * nothing is due. A lock keeps the two writers apart. A failed write means the client left: the run is cancelled.
 */
final class SseAnswer implements Consumer<Packet> {
    private final OutputStream out;
    private final Admission.Ticket ticket;
    private final SseFormat format;
    private final SseFormat.EventSink sink = this::send;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Object lock = new Object();
    private boolean begun;
    private boolean finished;
    private int deltas;
    /** The hang-up watch until the first packet comes, then {@link #FIRST_PACKET_CAME}. */
    private final java.util.concurrent.atomic.AtomicReference<Object> watch = new java.util.concurrent.atomic.AtomicReference<>();
    private static final Object FIRST_PACKET_CAME = new Object();
    private long firstDeltaNanos;
    private int completionTokens;
    private String outcome = "client disconnected";

    /** What must be done before the ending goes out, on the request's worker; null: nothing, write it at once. */
    private final Consumer<dev.flowgraph.core.run.Run> beforeEnding;
    private Packet pendingEnding;

    /**
     * @param beforeEnding null, or work that must be done before the client reads the ending (storing a conversation's
     *                     turn, so that its next request sees it): the ending is then written by the worker in
     *                     {@link #await}, after it
     */
    SseAnswer(OutputStream out, Admission.Ticket ticket, SseFormat format,
              Consumer<dev.flowgraph.core.run.Run> beforeEnding) {
        this.out = out;
        this.ticket = ticket;
        this.format = format;
        this.beforeEnding = beforeEnding;
    }

    @Override
    public void accept(Packet packet) {
        if (packet.isTerminal()) {
            // The flow is done with this run: admit the next request before the last bytes go out, so a client
            // that sends its next request as soon as it reads [DONE] is not turned away.
            ticket.release();
        }
        if (watch.get() != FIRST_PACKET_CAME && watch.getAndSet(FIRST_PACKET_CAME) instanceof HangUpWatch watching) {
            watching.end(); // from the first piece on, writes notice a hang-up
        }
        synchronized (lock) {
            if (finished) {
                return;
            }
            if (packet.isTerminal() && beforeEnding != null) {
                pendingEnding = packet; // the worker writes it once the turn is stored (see await)
                ended.countDown();
                return;
            }
            try {
                beginOnce();
                if (packet instanceof Packet.Delta delta) {
                    format.delta((String) delta.value(), sink);
                    if (deltas++ == 0) {
                        firstDeltaNanos = System.nanoTime();
                    }
                    return;
                }
                writeEnding(packet);
            } catch (IOException e) {
                packet.run().cancel("client disconnected");
            }
            finish();
        }
    }

    /** The last event (finish reason and usage, or the error) and {@code [DONE]}; called holding the lock. */
    private void writeEnding(Packet packet) throws IOException {
        beginOnce();
        if (packet instanceof Packet.End end) {
            if (end.run().isCancelled()) {
                format.error("the run was cancelled: " + end.run().cancelReason(), sink);
                outcome = "cancelled: " + end.run().cancelReason();
            } else {
                format.finish(end, sink);
                completionTokens = end.usage().completionTokens();
                outcome = completionTokens + " tokens, " + end.finishReason();
            }
        } else if (packet instanceof Packet.Failure failure) {
            format.error(failure.message(), sink);
            outcome = "failed at node '" + failure.nodeId() + "': " + failure.message();
        }
        send(PromptEvents.DONE);
    }

    /**
     * Sends the headers and the dialect's opening events now, unless the first packet already took them along.
     *
     * @return false when the client has left
     */
    boolean begin() {
        synchronized (lock) {
            if (finished) {
                return true; // the whole answer went out already (or the client left while it did)
            }
            try {
                beginOnce();
                out.flush();
                return true;
            } catch (IOException e) {
                finish();
                return false;
            }
        }
    }

    private void beginOnce() throws IOException {
        if (!begun) {
            begun = true;
            format.begin(sink);
        }
    }

    /** The run could not start after the stream had begun (the flow stopped in between). */
    void failBeforeRun(String message) {
        ticket.release();
        synchronized (lock) {
            try {
                beginOnce();
                format.error(message, sink);
                send(PromptEvents.DONE);
            } catch (IOException e) {
                // the client left as well
            }
            outcome = message;
            finish();
        }
    }

    /**
     * Waits for the answer's end, sending a keep-alive comment each interval in which nothing was due; the
     * comment also finds out whether the client is still there.
     *
     * @param onClientGone called when a write fails because the client left
     */
    void await(long keepAliveNanos, Runnable onClientGone) throws InterruptedException {
        while (!ended.await(keepAliveNanos, TimeUnit.NANOSECONDS)) {
            synchronized (lock) {
                if (finished) {
                    return;
                }
                try {
                    send(PromptEvents.KEEP_ALIVE);
                } catch (IOException e) {
                    finish();
                    onClientGone.run();
                }
            }
        }
        Packet ending;
        synchronized (lock) {
            ending = pendingEnding;
        }
        if (ending != null) {
            beforeEnding.accept(ending.run());
            synchronized (lock) {
                if (!finished) {
                    try {
                        writeEnding(ending);
                    } catch (IOException e) {
                        // the client left right at the end: nothing more to tell it
                    }
                    finish();
                }
            }
        }
    }

    int deltas() {
        synchronized (lock) {
            return deltas;
        }
    }

    /** Ends {@code watch} when the first piece (or the end) is about to be written; null: nothing to end. */
    void endsWatch(HangUpWatch hangUpWatch) {
        if (hangUpWatch != null && !watch.compareAndSet(null, hangUpWatch)) {
            hangUpWatch.end(); // the first packet came already
        }
    }

    /** When the first piece was written ({@link System#nanoTime()}), or 0 if none was. */
    long firstDeltaNanos() {
        synchronized (lock) {
            return firstDeltaNanos;
        }
    }

    int completionTokens() {
        synchronized (lock) {
            return completionTokens;
        }
    }

    String outcome() {
        synchronized (lock) {
            return outcome;
        }
    }

    private void finish() {
        finished = true;
        ended.countDown();
    }

    private void send(byte[] event) throws IOException {
        out.write(event);
        out.flush();
    }
}
