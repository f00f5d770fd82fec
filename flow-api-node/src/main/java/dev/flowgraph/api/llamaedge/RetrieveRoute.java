package dev.flowgraph.api.llamaedge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.api.http.FullBody;
import dev.flowgraph.api.http.JsonBody;
import dev.flowgraph.api.http.JsonFields;
import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.Role;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.doc.RetrievalService;
import dev.flowgraph.core.run.Run;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.List;

/**
 * {@code POST /v1/retrieve} (LlamaEdge's): the flow's Retrieve node looks up the last user message of
 * {@code messages} in its index and answers the spec's {@code points} (each {@code source} the passage as a JSON string,
 * as LlamaEdge writes it, and its {@code score}), with the {@code limit} and {@code score_threshold} used. A request
 * may ask for fewer passages than the node's limit and set its own threshold. Runs on a worker once {@link FullBody}
 * has read the body.
 */
public final class RetrieveRoute implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiElementNode element;

    public RetrieveRoute(ApiElementNode element) {
        this.element = element;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            JsonNode root = JsonBody.object(FullBody.body(exchange), "with \"messages\"");
            List<ChatMessage> messages = JsonFields.messages(root.get("messages"), "messages");
            String question = null;
            for (ChatMessage m : messages) {
                if (m.role() == Role.USER) {
                    question = m.content();
                }
            }
            if (question == null || question.isBlank()) {
                throw new BadRequest("messages", "'messages' has no user message to retrieve for");
            }
            RetrievalService retriever = Embedders.pick(element.retrievers(), root.get("model"), "/v1/retrieve",
                    "Retrieve node");
            Integer asked = JsonFields.integer(root, "limit", 1);
            int limit = asked == null ? retriever.limit() : Math.min(asked, retriever.limit());
            Double threshold = JsonFields.number(root, "score_threshold", -1, 1);
            double scoreThreshold = threshold == null ? retriever.scoreThreshold() : threshold;
            List<Document> found;
            try {
                found = retriever.retrieve(question, limit, scoreThreshold, Run.detached());
            } catch (Exception e) {
                ApiErrors.send(exchange, 500, ApiErrors.RUN_FAILED, "retrieval failed: " + e.getMessage());
                return;
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(answer(found, limit, scoreThreshold));
        } catch (BadRequest e) {
            ApiErrors.send(exchange, e.status(), e.status() == 404 ? ApiErrors.NOT_FOUND : ApiErrors.INVALID_REQUEST,
                    e.getMessage(), e.param(), e.code());
        }
    }

    static String answer(List<Document> found, int limit, double scoreThreshold) {
        StringBuilder b = new StringBuilder(256).append("{\"points\":[");
        for (int i = 0; i < found.size(); i++) {
            Document doc = found.get(i);
            b.append(i == 0 ? "" : ",").append("{\"source\":");
            // LlamaEdge's source is the passage written as a JSON string, quoted once more.
            try {
                JsonText.quote(b, JSON.writeValueAsString(doc.text()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            b.append(",\"score\":").append((float) doc.score().orElse(0)).append('}');
        }
        return b.append("],\"limit\":").append(limit).append(",\"score_threshold\":").append((float) scoreThreshold)
                .append('}').toString();
    }
}
