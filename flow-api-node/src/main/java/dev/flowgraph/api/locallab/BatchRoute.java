package dev.flowgraph.api.locallab;

import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.FlowCalls;
import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Usage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.List;

/**
 * LocalLab's {@code POST /generate/batch}: each prompt runs through the flow, as many at a time as the flow has free
 * slots (see {@link FlowCalls#collectAll}), and the answer is {@code {"responses":[...],"usage":...}} in the
 * prompts' order, usage summed. A prompt whose run fails fails the batch with its message. Runs on a blocking worker.
 */
public final class BatchRoute implements HttpHandler {
    private final FlowCalls calls;

    public BatchRoute(FlowCalls calls) {
        this.calls = calls;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        calls.handle(exchange, body -> LocalLabRequests.batch(body, calls.flowName()), (requests, ticket) -> {
            List<FlowCalls.Collected> answers = calls.collectAll(exchange, requests, ticket);
            if (answers == null) {
                return;
            }
            StringBuilder b = new StringBuilder(256).append("{\"responses\":[");
            int prompt = 0;
            int completion = 0;
            for (int i = 0; i < answers.size(); i++) {
                FlowCalls.Collected answer = answers.get(i);
                if (!(answer.ending() instanceof Packet.End end) || answer.run().isCancelled()) {
                    ApiErrors.send(exchange, 500, ApiErrors.RUN_FAILED, "prompts[" + i + "]: "
                            + (answer.ending() instanceof Packet.Failure f ? f.message()
                            : "the run was cancelled: " + answer.run().cancelReason()));
                    return;
                }
                JsonText.quote(b.append(i == 0 ? "" : ","), answer.text());
                prompt += end.usage().promptTokens();
                completion += end.usage().completionTokens();
            }
            b.append("],\"usage\":").append(JsonText.usage(new Usage(prompt, completion))).append('}');
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(b.toString());
        });
    }
}
