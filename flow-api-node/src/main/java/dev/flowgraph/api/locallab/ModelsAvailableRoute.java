package dev.flowgraph.api.locallab;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.chat.ModelSlot;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/**
 * {@code GET /models/available}: the GGUF files each of the flow's model nodes could load (the files beside its
 * model), as their headers describe them: {@code {"models":[{"model_id","node","size","architecture",
 * "context_length"}]}}. Reads file headers: runs on a blocking worker.
 */
public final class ModelsAvailableRoute implements HttpHandler {
    private final ApiElementNode element;

    public ModelsAvailableRoute(ApiElementNode element) {
        this.element = element;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        List<ModelSlot> slots = element.modelSlots();
        StringBuilder b = new StringBuilder(256).append("{\"models\":[");
        boolean first = true;
        for (ModelSlot slot : slots) {
            for (ModelSlot.ModelFile file : slot.available()) {
                ModelJson.file(b.append(first ? "" : ","), slot, file, slots.size() > 1);
                first = false;
            }
        }
        ModelJson.send(exchange, b.append("]}"));
    }
}
