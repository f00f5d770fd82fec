package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Refuses a body over the limit with 413: at once when Content-Length says so; a chunked body is cut off by
 * Undertow once it passes the limit (the route turns that into 413 too).
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
        exchange.setMaxEntitySize(maxBytes);
        next.handleRequest(exchange);
    }

    static void tooLarge(HttpServerExchange exchange, long maxBytes) {
        // The unread body is not worth draining: close the connection after answering.
        exchange.setPersistent(false);
        ApiErrors.send(exchange, 413, ApiErrors.TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
    }
}
