package dev.flowgraph.api.locallab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.api.http.FullBody;
import dev.flowgraph.api.http.JsonBody;
import dev.flowgraph.api.sse.JsonText;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * {@code POST /models/unload}: the model node frees its model (runs in flight finish first); until a model is loaded
 * again, requests that run the flow get 503 {@code model_unloaded}. The body may be empty, or name the node with
 * {@code {"model_id":"node:"}} when the flow has several. Runs on a worker once {@link FullBody} has read the body.
 */
public final class ModelUnloadRoute implements HttpHandler {
    private final ApiElementNode element;

    public ModelUnloadRoute(ApiElementNode element) {
        this.element = element;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        byte[] body = FullBody.body(exchange);
        try {
            String id = null;
            if (body.length > 0) {
                JsonNode model = JsonBody.object(body, "(or no body)").get("model_id");
                if (model != null && !model.isNull() && !model.isTextual()) {
                    throw new BadRequest("model_id", "'model_id' must be a string such as \"llm:\"");
                }
                id = model == null || model.isNull() ? null : model.textValue();
            }
            ModelSlots.Target target = ModelSlots.resolve(element.modelSlots(), id, false);
            target.slot().unload();
            StringBuilder b = new StringBuilder("{\"status\":\"success\",\"message\":");
            JsonText.quote(b, "node '" + target.slot().modelNodeId() + "' unloaded its model");
            ModelJson.send(exchange, b.append('}'));
        } catch (BadRequest e) {
            ApiErrors.send(exchange, e.status(), ApiErrors.INVALID_REQUEST, e.getMessage(), e.param(), e.code());
        }
    }
}
