package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Refuses a body over the limit with 413 at once when its Content-Length says so. A chunked body has no length
 * up front: the route reads at most one byte past the limit and answers 413 the same way.
 */
final class BodyLimit implements HttpHandler {
    private final long maxBytes;
    private final HttpHandler next;

    BodyLimit(long maxBytes, HttpHandler next) {
        this.maxBytes = maxBytes;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getRequestContentLength() > maxBytes) {
            tooLarge(exchange, maxBytes);
            return;
        }
        next.handleRequest(exchange);
    }

    static void tooLarge(HttpServerExchange exchange, long maxBytes) {
        // The unread body is not worth draining: close the connection after answering.
        exchange.setPersistent(false);
        ApiErrors.send(exchange, 413, ApiErrors.TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
    }
}
