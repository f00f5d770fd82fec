package dev.flowgraph.api.locallab;

import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.core.chat.ModelSlot;

import java.util.List;

/** Which model node a {@code model_id} of the model routes means: {@code node:file}, or a file when there is one node. */
final class ModelSlots {
    private ModelSlots() {
    }

    record Target(ModelSlot slot, String file) {
    }

    /** @param id {@code node:file} or {@code file}; with {@code needsFile} false the file part may be empty */
    static Target resolve(List<ModelSlot> slots, String id, boolean needsFile) throws BadRequest {
        if (slots.isEmpty()) {
            throw new BadRequest(404, "model_id", "the flow has no local model node whose model can be managed", null);
        }
        int colon = id == null ? -1 : id.indexOf(':');
        if (colon < 0) {
            if (slots.size() > 1) {
                throw new BadRequest("model_id", "the flow has several model nodes " + nodes(slots)
                        + ": name one as node:file");
            }
            if (needsFile && (id == null || id.isBlank())) {
                throw new BadRequest("model_id", "'model_id' is required: a file of GET /models/available");
            }
            return new Target(slots.get(0), id);
        }
        String node = id.substring(0, colon);
        for (ModelSlot slot : slots) {
            if (slot.modelNodeId().equals(node)) {
                return new Target(slot, id.substring(colon + 1));
            }
        }
        throw new BadRequest("model_id", "no model node '" + node + "'; the flow's are " + nodes(slots));
    }

    private static List<String> nodes(List<ModelSlot> slots) {
        return slots.stream().map(ModelSlot::modelNodeId).toList();
    }
}
