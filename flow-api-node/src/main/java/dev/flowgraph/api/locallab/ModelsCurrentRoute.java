package dev.flowgraph.api.locallab;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.core.chat.ModelSlot;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/**
 * {@code GET /models/current}: what the flow's model nodes have loaded. With one node, its model's fields and
 * {@code "status":"loaded"} (or {@code {"model_id":null,"status":"unloaded"}}); every node, in any case, under
 * {@code "models"}. A flow without a local model node: 404.
 */
public final class ModelsCurrentRoute implements HttpHandler {
    private final ApiElementNode element;

    public ModelsCurrentRoute(ApiElementNode element) {
        this.element = element;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        List<ModelSlot> slots = element.modelSlots();
        if (slots.isEmpty()) {
            ApiErrors.send(exchange, 404, ApiErrors.NOT_FOUND, "the flow has no local model node whose model can be "
                    + "managed");
            return;
        }
        ModelSlot first = slots.get(0);
        ModelSlot.ModelFile now = first.current();
        StringBuilder b = new StringBuilder(256);
        if (now == null) {
            b.append("{\"model_id\":null,\"node\":");
            dev.flowgraph.api.sse.JsonText.quote(b, first.modelNodeId()).append('}');
        } else {
            ModelJson.file(b, first, now, slots.size() > 1);
        }
        b.setLength(b.length() - 1);
        b.append(",\"status\":\"").append(now == null ? "unloaded" : "loaded").append("\",\"models\":");
        ModelJson.send(exchange, ModelJson.loaded(b, slots).append('}'));
    }
}
