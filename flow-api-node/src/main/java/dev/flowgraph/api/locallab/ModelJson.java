package dev.flowgraph.api.locallab;

import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.chat.ModelSlot;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.List;

/** How the model routes write a model file and their answers. */
final class ModelJson {
    private ModelJson() {
    }

    /** {@code {"model_id","node","size","architecture","context_length"}}; {@code model_id} is {@code node:file}
     *  when the flow has several model nodes, as {@code /models/load} takes it. */
    static StringBuilder file(StringBuilder b, ModelSlot slot, ModelSlot.ModelFile file, boolean several) {
        JsonText.quote(b.append("{\"model_id\":"), several ? slot.modelNodeId() + ":" + file.name() : file.name());
        JsonText.quote(b.append(",\"node\":"), slot.modelNodeId());
        b.append(",\"size\":").append(file.bytes());
        b.append(",\"architecture\":");
        if (file.architecture() == null) {
            b.append("null");
        } else {
            JsonText.quote(b, file.architecture());
        }
        b.append(",\"context_length\":").append(file.contextLength() < 0 ? "null" : Long.toString(file.contextLength()));
        return b.append('}');
    }

    /** What each slot has loaded: {@code [{"node","status":"loaded"|"unloaded","model":{...}|null}]}. */
    static StringBuilder loaded(StringBuilder b, List<ModelSlot> slots) {
        b.append('[');
        for (int i = 0; i < slots.size(); i++) {
            ModelSlot slot = slots.get(i);
            ModelSlot.ModelFile now = slot.current();
            JsonText.quote(b.append(i == 0 ? "" : ",").append("{\"node\":"), slot.modelNodeId())
                    .append(",\"status\":\"").append(now == null ? "unloaded" : "loaded").append("\",\"model\":");
            if (now == null) {
                b.append("null");
            } else {
                file(b, slot, now, slots.size() > 1);
            }
            b.append('}');
        }
        return b.append(']');
    }

    static void send(HttpServerExchange exchange, CharSequence json) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json.toString());
    }
}
