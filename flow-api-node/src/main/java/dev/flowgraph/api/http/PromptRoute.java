package dev.flowgraph.api.http;

import dev.flowgraph.api.sse.PromptEvents;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * {@code POST /prompt}: reads {@code {"message":[...]}}, admits it (or answers 503 at once), runs it through
 * the flow and streams the answer as server-sent events, one flushed chunk per event, ending with a final
 * event (finish reason and usage, or the error) and {@code data: [DONE]}. A client that leaves cancels its run.
 * Runs on a blocking worker (see {@link ApiServer}).
 */
final class PromptRoute implements HttpHandler {
    private final FlowCalls calls;

    PromptRoute(FlowCalls calls) {
        this.calls = calls;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        calls.handle(exchange, PromptRequestParser::parse,
                (request, ticket) -> calls.stream(exchange, request, new PromptEvents(), ticket));
    }
}
