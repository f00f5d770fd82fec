package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.Locale;

/** Refuses bodies that are not declared as JSON with 415. */
final class JsonOnly implements HttpHandler {
    private final HttpHandler next;

    JsonOnly(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json")) {
            ApiErrors.send(exchange, 415, ApiErrors.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"
                    + (type == null ? " (none was sent)" : ", not " + type), "Content-Type");
            return;
        }
        next.handleRequest(exchange);
    }
}
