package dev.flowgraph.api.openai;

import dev.flowgraph.api.sse.JsonText;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** {@code GET /v1/models}: the flow, listed as the one model this server serves. */
public final class ModelsRoute implements HttpHandler {
    private final String body;

    public ModelsRoute(String flowName) {
        StringBuilder b = new StringBuilder("{\"object\":\"list\",\"data\":[{\"id\":");
        JsonText.quote(b, flowName).append(",\"object\":\"model\",\"created\":")
                .append(System.currentTimeMillis() / 1000).append(",\"owned_by\":\"flowgraph\"}]}");
        this.body = b.toString();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body);
    }
}
