package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.io.Receiver;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.AttachmentKey;
import org.xnio.XnioExecutor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the whole request body on the IO thread, without a worker, and only then hands the request to its blocking
 * route on a worker: a client that sends its body slowly, or stops halfway, holds no thread and no slot. A body over
 * the limit is answered 413 (at once when Content-Length says so); one not complete within the read timeout 408, and
 * the connection is closed.
 */
public final class FullBody implements HttpHandler {
    /** The complete body, for the route. */
    static final AttachmentKey<byte[]> BODY = AttachmentKey.create(byte[].class);

    /** The body this handler read, for a route after it (in another package); null if it did not run. */
    public static byte[] body(HttpServerExchange exchange) {
        return exchange.getAttachment(BODY);
    }

    private final long maxBytes;
    private final Duration timeout;
    private final HttpHandler onWorker;

    /** @param route the blocking route, run on a worker once the body is complete */
    FullBody(long maxBytes, Duration timeout, HttpHandler route) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.onWorker = exchange -> {
            exchange.startBlocking();
            route.handleRequest(exchange);
        };
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.getRequestContentLength() > maxBytes) {
            tooLarge(exchange, maxBytes);
            return;
        }
        AtomicBoolean settled = new AtomicBoolean();
        XnioExecutor.Key timer = exchange.getIoThread().executeAfter(() -> {
            if (settled.compareAndSet(false, true)) {
                exchange.setPersistent(false);
                ApiErrors.send(exchange, 408, ApiErrors.TIMEOUT, "the request body did not arrive within "
                        + seconds(timeout) + " s");
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        var receiver = exchange.getRequestReceiver();
        receiver.setMaxBufferSize((int) Math.min(Integer.MAX_VALUE - 8, maxBytes));
        receiver.receiveFullBytes((ex, body) -> {
            if (settled.compareAndSet(false, true)) {
                timer.remove();
                ex.putAttachment(BODY, body);
                ex.dispatch(onWorker);
            }
        }, (ex, error) -> {
            if (settled.compareAndSet(false, true)) {
                timer.remove();
                if (error instanceof RequestTooBigException || error instanceof Receiver.RequestToLargeException) {
                    tooLarge(ex, maxBytes);
                } else { // the client went away, or sent a broken chunked body: nothing to answer
                    ex.setPersistent(false);
                    ex.endExchange();
                }
            }
        });
    }

    private static void tooLarge(HttpServerExchange exchange, long maxBytes) {
        // The unread body is not worth draining: close the connection after answering.
        exchange.setPersistent(false);
        ApiErrors.send(exchange, 413, ApiErrors.TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : Double.toString(d.toMillis() / 1000.0);
    }
}
