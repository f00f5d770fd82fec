package dev.flowgraph.api.http;

import dev.flowgraph.api.sse.PromptEvents;
import dev.flowgraph.core.chat.ChatRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * {@code POST /prompt}: reads {@code {"message":[...]}}, admits it (or answers 503 at once), runs it through
 * the flow and streams the answer as server-sent events, one flushed chunk per event, ending with a final
 * event (finish reason and usage, or the error) and {@code data: [DONE]}. A client that leaves cancels its run.
 */
final class PromptRoute implements HttpHandler {
    private final FlowCalls calls;

    PromptRoute(FlowCalls calls) {
        this.calls = calls;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        byte[] body = calls.readBody(exchange);
        if (body == null) {
            return;
        }
        ChatRequest request;
        try {
            request = PromptRequestParser.parse(body);
        } catch (BadRequest e) {
            ApiErrors.send(exchange, 400, ApiErrors.INVALID_REQUEST, e.getMessage(), e.param());
            return;
        }
        Admission.Ticket ticket = calls.admit(exchange);
        if (ticket == null) {
            return;
        }
        try {
            calls.stream(exchange, request, new PromptEvents(), ticket);
        } finally {
            ticket.release();
        }
    }
}
