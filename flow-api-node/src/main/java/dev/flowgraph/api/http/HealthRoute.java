package dev.flowgraph.api.http;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.sse.JsonText;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** {@code GET /health}: whether the flow runs and takes requests, and how many stream; no key needed. */
final class HealthRoute implements HttpHandler {
    private final ApiElementNode element;
    private final Admission admission;
    private final WarmUp warmUp;
    private final String flowName;

    HealthRoute(ApiElementNode element, Admission admission, WarmUp warmUp, String flowName) {
        this.element = element;
        this.admission = admission;
        this.warmUp = warmUp;
        this.flowName = flowName;
    }

    /**
     * {@code status} ok (200) while requests are taken; {@code draining} (503) while the instance finishes its
     * last streams before it stops; {@code starting} (503) until every node of the flow has started (a model still
     * loading); {@code stopped} (503) when the flow does not run; {@code warming} (503) while it
     * warms up after a start. A load balancer's health
     * check needs only the status code; {@code busy} says whether every slot is taken.
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) {
        boolean running = element.isAlive();
        String status = !running ? (element.isStarting() ? "starting" : "stopped")
                : admission.isClosed() ? "draining" : warmUp.isWarming() ? "warming" : "ok";
        int inFlight = admission.inFlight();
        StringBuilder body = new StringBuilder("{\"status\":\"").append(status).append("\",\"flow\":");
        JsonText.quote(body, flowName).append(",\"running\":").append(running)
                .append(",\"busy\":").append(inFlight >= admission.capacity())
                .append(",\"inFlight\":").append(inFlight)
                .append(",\"capacity\":").append(admission.capacity());
        dev.flowgraph.core.store.Store store = element.store();
        if (store.isEnabled()) {
            // Whether runs are being recorded; a store that is away never stops the instance from serving.
            dev.flowgraph.core.store.StoreHealth h = store.health();
            body.append(",\"store\":{\"available\":").append(h.available()).append(",\"failures\":").append(h.failures())
                    .append(",\"dropped\":").append(h.dropped()).append('}');
        }
        body.append('}');
        exchange.setStatusCode(status.equals("ok") ? 200 : 503);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body.toString());
    }
}
