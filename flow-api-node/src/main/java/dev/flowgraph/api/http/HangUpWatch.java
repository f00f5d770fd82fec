package dev.flowgraph.api.http;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;

/**
 * Notices a client that hangs up before its answer's first piece, from the connection itself: once the request body
 * is read, the connection's raw read side is watched on its IO thread, and the end of the stream (the client closed)
 * is reported at once, while the model may still be reading a long prompt. The watch ends when the first piece (or the
 * end) is about to be written: from then on each write notices a hang-up, and a client cannot yet have sent its next
 * request on the connection, which the watch must never read (it found such a request once, at the end of a stream,
 * and the request was lost). Bytes that still arrive (a pipelining client) are given back to the connection.
 */
final class HangUpWatch implements ReadReadyHandler {
    private final HttpServerConnection connection;
    private final StreamSourceConduit raw;
    private final Runnable onHangUp;
    private boolean installed;
    private boolean over;

    private HangUpWatch(HttpServerConnection connection, Runnable onHangUp) {
        this.connection = connection;
        this.raw = connection.getOriginalSourceConduit();
        this.onHangUp = onHangUp;
    }

    /**
     * Calls {@code hangUp} if the client closes the connection before the exchange ends, on a worker thread: what a
     * cancelled run sets off (its error event written to the stream) blocks, which an IO thread must never do.
     */
    static HangUpWatch watch(HttpServerExchange exchange, Runnable hangUp) {
        if (!(exchange.getConnection() instanceof HttpServerConnection connection)) {
            return null; // another protocol: the next write notices instead
        }
        HangUpWatch watch = new HangUpWatch(connection, () -> connection.getWorker().execute(hangUp));
        exchange.addExchangeCompleteListener((done, next) -> {
            watch.end();
            next.proceed();
        });
        exchange.getIoThread().execute(watch::install);
        return watch;
    }

    private synchronized void install() {
        if (over) {
            return;
        }
        installed = true;
        raw.setReadReadyHandler(this);
        raw.resumeReads();
    }

    /** Ends the watch (idempotent): the channel that Undertow reads requests from gets the read side back. */
    synchronized void end() {
        if (over) {
            return;
        }
        over = true;
        if (installed) {
            raw.suspendReads();
            raw.setReadReadyHandler(new ReadReadyHandler.ChannelListenerHandler<>(connection.getChannel().getSourceChannel()));
        }
    }

    @Override
    public synchronized void readReady() {
        if (over) {
            return;
        }
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        boolean given = false;
        try {
            int read = raw.read(pooled.getBuffer());
            if (read == -1) {
                raw.suspendReads();
                onHangUp.run();
            } else if (read > 0) {
                pooled.getBuffer().flip();
                connection.ungetRequestBytes(pooled);
                given = true;
                raw.suspendReads();
            }
        } catch (IOException e) { // reset by the client: gone too
            raw.suspendReads();
            onHangUp.run();
        } finally {
            if (!given) {
                pooled.close();
            }
        }
    }

    @Override
    public void forceTermination() {
    }

    @Override
    public void terminated() {
    }
}
