package dev.flowgraph.api.locallab;

import dev.flowgraph.api.http.Admission;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.FlowCalls;
import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.run.Packet;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * LocalLab's {@code POST /generate} (a prompt; answered {@code {"response","usage"}}) and {@code POST /chat}
 * (messages; answered with {@code choices[0].message} and {@code finish_reason}), streamed as {@link TokenEvents}
 * when {@code stream} is true. Admission is the flow's, shared with every other route. Runs on a blocking worker.
 */
public final class GenerationRoute implements HttpHandler {
    /** Which of the two routes: they differ in what they read and how a whole answer is written. */
    public enum Kind {
        GENERATE, CHAT
    }

    private final FlowCalls calls;
    private final Kind kind;

    public GenerationRoute(FlowCalls calls, Kind kind) {
        this.calls = calls;
        this.kind = kind;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        calls.handle(exchange, body -> kind == Kind.GENERATE ? LocalLabRequests.generate(body, calls.flowName())
                : LocalLabRequests.chat(body, calls.flowName()), (request, ticket) -> {
            if (request.stream()) {
                calls.stream(exchange, request.chat(), new TokenEvents(), ticket);
            } else {
                complete(exchange, request, ticket);
            }
        });
    }

    private void complete(HttpServerExchange exchange, LocalLabRequests.Generation request, Admission.Ticket ticket)
            throws InterruptedException {
        FlowCalls.Collected answer = calls.collect(exchange, request.chat(), ticket);
        if (answer == null) {
            return;
        }
        if (!(answer.ending() instanceof Packet.End end) || answer.run().isCancelled()) {
            ApiErrors.send(exchange, 500, ApiErrors.RUN_FAILED, answer.ending() instanceof Packet.Failure f
                    ? f.message() : "the run was cancelled: " + answer.run().cancelReason());
            return;
        }
        StringBuilder b = new StringBuilder(answer.text().length() + 160);
        if (kind == Kind.GENERATE) {
            JsonText.quote(b.append("{\"response\":"), answer.text());
        } else {
            JsonText.quote(b.append("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":"), answer.text())
                    .append("},\"finish_reason\":\"").append(finishReason(end)).append("\"}]");
        }
        b.append(",\"usage\":").append(JsonText.usage(end.usage())).append('}');
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(b.toString());
    }

    static String finishReason(Packet.End end) {
        return Packet.End.LENGTH.equals(end.finishReason()) ? "length" : "stop";
    }
}
