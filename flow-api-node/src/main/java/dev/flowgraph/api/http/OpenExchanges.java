package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Duration;

/**
 * Counts the exchanges not yet complete (the last bytes of a stream sent), so that a draining server stops only
 * after its answers have really gone out, not merely when their runs have ended.
 */
final class OpenExchanges implements HttpHandler {
    private final HttpHandler next;
    private final java.util.function.Consumer<HttpServerExchange> onComplete;
    private final Object lock = new Object();
    private int open;

    /** @param onComplete called with each exchange once complete, on the thread that completes it (metrics) */
    OpenExchanges(HttpHandler next, java.util.function.Consumer<HttpServerExchange> onComplete) {
        this.next = next;
        this.onComplete = onComplete;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        synchronized (lock) {
            open++;
        }
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            onComplete.accept(done);
            synchronized (lock) {
                open--;
                lock.notifyAll();
            }
            nextListener.proceed();
        });
        next.handleRequest(exchange);
    }

    /** Waits until no exchange is open, at most {@code timeout}; true when none is. */
    boolean awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (open > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
