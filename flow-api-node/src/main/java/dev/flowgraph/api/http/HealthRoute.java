package dev.flowgraph.api.http;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.sse.JsonText;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** {@code GET /health}: whether the flow runs and whether a request is streaming; no key needed. */
final class HealthRoute implements HttpHandler {
    private final ApiElementNode element;
    private final Admission admission;
    private final String flowName;

    HealthRoute(ApiElementNode element, Admission admission, String flowName) {
        this.element = element;
        this.admission = admission;
        this.flowName = flowName;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        boolean running = element.isAlive();
        StringBuilder body = new StringBuilder("{\"status\":").append(running ? "\"ok\"" : "\"stopped\"")
                .append(",\"flow\":");
        JsonText.quote(body, flowName).append(",\"running\":").append(running)
                .append(",\"busy\":").append(admission.inFlight() > 0)
                .append(",\"inFlight\":").append(admission.inFlight()).append('}');
        exchange.setStatusCode(running ? 200 : 503);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body.toString());
    }
}
