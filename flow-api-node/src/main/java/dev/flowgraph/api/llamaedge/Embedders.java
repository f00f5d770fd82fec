package dev.flowgraph.api.llamaedge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.core.doc.EmbeddingService;

import java.util.List;
import java.util.stream.Collectors;

/** Which of the flow's embedders a request means: the only one, or the one whose model it names. */
final class Embedders {
    private Embedders() {
    }

    /** @throws BadRequest 404 when the flow has none, 400 naming {@code model} when it names none of several */
    static EmbeddingService choose(ApiElementNode element, JsonNode model, String route) throws BadRequest {
        return pick(element.embedders(), model, route, "an embedder (an Embeddings or Retrieve node)");
    }

    static <T extends EmbeddingService> T pick(List<T> found, JsonNode model, String route, String what)
            throws BadRequest {
        if (found.isEmpty()) {
            throw new BadRequest(404, null, "this flow has no " + what + ", so it does not serve " + route,
                    "not_found");
        }
        if (model != null && !model.isNull() && !model.isTextual()) {
            throw new BadRequest("model", "'model' must be a string: one of " + names(found));
        }
        String wanted = model == null || model.isNull() ? null : model.textValue();
        if (wanted != null) {
            for (T e : found) {
                if (e.embeddingModel().equals(wanted)) {
                    return e;
                }
            }
        }
        if (found.size() == 1) {
            return found.get(0); // one embedder: whatever name a client's SDK puts in 'model'
        }
        throw new BadRequest("model", wanted == null
                ? "'model' is required: this flow embeds with " + names(found)
                : "no embedder of this flow uses model '" + wanted + "': it has " + names(found));
    }

    private static String names(List<? extends EmbeddingService> found) {
        return found.stream().map(EmbeddingService::embeddingModel).distinct().collect(Collectors.joining(", "));
    }
}
