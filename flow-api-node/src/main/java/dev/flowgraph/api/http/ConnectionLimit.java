package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the client connections open at once: a request on a connection beyond {@code max} is answered 503 and its
 * connection closed, so a flood of idle connections cannot exhaust the process. A connection counts from its first
 * request until it closes (stalled headers never reach a handler; the parse timeout closes those).
 */
final class ConnectionLimit implements HttpHandler {
    private final int max;
    private final HttpHandler next;
    private final Set<ServerConnection> open = ConcurrentHashMap.newKeySet();

    ConnectionLimit(int max, HttpHandler next) {
        this.max = max;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ServerConnection connection = exchange.getConnection();
        if (open.add(connection)) {
            if (open.size() > max) {
                open.remove(connection);
                exchange.setPersistent(false);
                exchange.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER, FlowCalls.RETRY_AFTER_SECONDS);
                ApiErrors.send(exchange, 503, ApiErrors.TOO_MANY_CONNECTIONS, "too many open connections (the limit is "
                        + max + "); retry after " + FlowCalls.RETRY_AFTER_SECONDS + " s");
                return;
            }
            connection.addCloseListener(open::remove);
        }
        next.handleRequest(exchange);
    }

    int open() {
        return open.size();
    }
}
