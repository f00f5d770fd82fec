package dev.flowgraph.api.openai;

import dev.flowgraph.api.http.Admission;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.api.http.FlowCalls;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.chat.ResponseFormat;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/chat/completions}: the flow as an OpenAI chat model. Sampling parameters in the request
 * override the LLM node's settings for that run; {@code stream} chooses chunks or one completion object.
 * Admission is shared with {@code /prompt}: it is one flow. Runs on a blocking worker (see ApiServer).
 */
public final class ChatCompletionsRoute implements HttpHandler {
    private static final AtomicLong IDS = new AtomicLong();
    /** Makes completion ids differ between server starts. */
    private static final String ID_PREFIX = "chatcmpl-" + Long.toString(System.currentTimeMillis(), 36) + "-";

    private static final io.undertow.util.HttpString SESSION_HEADER = new io.undertow.util.HttpString("X-Session-Id");

    private final FlowCalls calls;

    public ChatCompletionsRoute(FlowCalls calls) {
        this.calls = calls;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String sessionHeader = exchange.getRequestHeaders().getFirst(SESSION_HEADER);
        calls.handle(exchange, body -> withSessionHeader(servedModel(OpenAiRequestParser.parse(body)), sessionHeader),
                (request, ticket) -> {
            String id = ID_PREFIX + IDS.incrementAndGet();
            long created = System.currentTimeMillis() / 1000;
            if (request.stream()) {
                calls.stream(exchange, request.chat(),
                        new CompletionChunks(id, created, request.model(), request.includeUsage()), ticket);
            } else {
                complete(exchange, request, id, created, ticket);
            }
        });
    }

    /** The {@code X-Session-Id} header names the conversation before the body's {@code user} field does. */
    private static OpenAiRequest withSessionHeader(OpenAiRequest request, String header) throws BadRequest {
        if (header == null) {
            return request;
        }
        String session = dev.flowgraph.api.http.PromptRequestParser.sessionId(header, SESSION_HEADER.toString());
        return new OpenAiRequest(request.chat().withSession(session), request.model(), request.stream(),
                request.includeUsage());
    }

    /**
     * A request for another model is refused before admission: 404, as OpenAI answers; so is a response_format the
     * flow's model cannot hold its answer to (400 naming that node).
     */
    private OpenAiRequest servedModel(OpenAiRequest request) throws BadRequest {
        if (!request.model().equals(calls.flowName())) {
            throw new BadRequest(404, "model", "The model '" + request.model() + "' does not exist; this server "
                    + "serves '" + calls.flowName() + "'", "model_not_found");
        }
        ResponseFormat format = request.chat().options().responseFormat();
        if (format != null) {
            String refusal = calls.refuses(format);
            if (refusal != null) {
                throw new BadRequest("response_format", refusal);
            }
        }
        return request;
    }

    private void complete(HttpServerExchange exchange, OpenAiRequest request, String id, long created,
                          Admission.Ticket ticket) throws InterruptedException {
        FlowCalls.Collected answer = calls.collect(exchange, request.chat(), ticket);
        if (answer == null) {
            return;
        }
        if (answer.ending() instanceof Packet.End end && !answer.run().isCancelled()) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(CompletionJson.completion(id, created, request.model(), answer.text(), end));
        } else {
            String why = answer.ending() instanceof Packet.Failure f ? f.message()
                    : "the run was cancelled: " + answer.run().cancelReason();
            ApiErrors.send(exchange, 500, "server_error", why);
        }
    }
}
