package dev.flowgraph.api.locallab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.api.http.FullBody;
import dev.flowgraph.api.http.JsonBody;
import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.chat.ModelSlot;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/**
 * {@code POST /models/load {"model_id"}}: the model node loads another GGUF file of {@code /models/available}
 * without the flow restarting. Runs in flight finish on the old model, runs that start meanwhile wait for the new
 * one; a file llama.cpp cannot load leaves the old model serving and is answered 400 with its reason. Answers when
 * the new model serves: {@code {"status":"success","message","model":{...}}}. Runs on a worker once {@link FullBody} has read the body.
 */
public final class ModelLoadRoute implements HttpHandler {
    private final ApiElementNode element;

    public ModelLoadRoute(ApiElementNode element) {
        this.element = element;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        byte[] body = FullBody.body(exchange);
        try {
            JsonNode root = JsonBody.object(body, "with \"model_id\"");
            JsonNode id = root.get("model_id");
            if (id == null || !id.isTextual() || id.textValue().isBlank()) {
                throw new BadRequest("model_id", "'model_id' is required: a file of GET /models/available");
            }
            List<ModelSlot> slots = element.modelSlots();
            ModelSlots.Target target = ModelSlots.resolve(slots, id.textValue(), true);
            ModelSlot.ModelFile loaded;
            try {
                loaded = target.slot().load(target.file());
            } catch (IllegalArgumentException e) {
                throw new BadRequest("model_id", e.getMessage());
            }
            StringBuilder b = new StringBuilder(256).append("{\"status\":\"success\",\"message\":");
            JsonText.quote(b, "model " + loaded.name() + " loaded by node '" + target.slot().modelNodeId() + "'");
            ModelJson.file(b.append(",\"model\":"), target.slot(), loaded, slots.size() > 1);
            ModelJson.send(exchange, b.append('}'));
        } catch (BadRequest e) {
            ApiErrors.send(exchange, e.status(), ApiErrors.INVALID_REQUEST, e.getMessage(), e.param(), e.code());
        }
    }
}
