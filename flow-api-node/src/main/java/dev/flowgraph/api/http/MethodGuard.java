package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/** Lets one HTTP method through; any other gets 405 with an {@code Allow} header. */
final class MethodGuard implements HttpHandler {
    private final HttpString method;
    private final HttpHandler next;

    MethodGuard(HttpString method, HttpHandler next) {
        this.method = method;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!method.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, method.toString());
            ApiErrors.send(exchange, 405, ApiErrors.METHOD_NOT_ALLOWED,
                    exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath() + "; use " + method);
            return;
        }
        next.handleRequest(exchange);
    }
}
