package dev.flowgraph.api.openai;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.doc.EmbeddingService;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code GET} or {@code POST /v1/models} (OpenAI's and LlamaEdge's): the flow, as the chat model this server serves,
 * and the embedding models of its Embeddings and Retrieve nodes.
 */
public final class ModelsRoute implements HttpHandler {
    private final String flowName;
    private final ApiElementNode element;
    private final long created = System.currentTimeMillis() / 1000;
    /** Made at the first request: the flow's nodes have all started by then. */
    private volatile String body;

    public ModelsRoute(String flowName, ApiElementNode element) {
        this.flowName = flowName;
        this.element = element;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String answer = body;
        if (answer == null) {
            Set<String> ids = new LinkedHashSet<>();
            ids.add(flowName);
            if (element != null) {
                element.embedders().stream().map(EmbeddingService::embeddingModel).forEach(ids::add);
            }
            StringBuilder b = new StringBuilder("{\"object\":\"list\",\"data\":[");
            int i = 0;
            for (String id : ids) {
                b.append(i++ == 0 ? "" : ",").append("{\"id\":");
                JsonText.quote(b, id).append(",\"object\":\"model\",\"created\":").append(created)
                        .append(",\"owned_by\":\"flowgraph\"}");
            }
            answer = b.append("]}").toString();
            if (element == null || element.isAlive()) {
                body = answer;
            }
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(answer);
    }
}
