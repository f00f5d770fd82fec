package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/** Lets the route's HTTP methods through; any other gets 405 with an {@code Allow} header. */
final class MethodGuard implements HttpHandler {
    private final java.util.List<HttpString> methods;
    private final String allow;
    private final HttpHandler next;

    MethodGuard(HttpString method, HttpHandler next) {
        this(java.util.List.of(method), next);
    }

    MethodGuard(java.util.List<HttpString> methods, HttpHandler next) {
        this.methods = java.util.List.copyOf(methods);
        this.allow = String.join(", ", methods.stream().map(HttpString::toString).toList());
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!methods.contains(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, allow);
            ApiErrors.send(exchange, 405, ApiErrors.METHOD_NOT_ALLOWED,
                    exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath() + "; use " + allow);
            return;
        }
        next.handleRequest(exchange);
    }
}
