package dev.flowgraph.api.locallab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.api.http.JsonBody;
import dev.flowgraph.api.http.JsonFields;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.GenerationOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bodies of LocalLab's generation routes ({@code locallab-api.txt}): {@code /generate}'s prompt,
 * {@code /chat}'s messages, {@code /generate/batch}'s prompts, and the quality parameters they share. A parameter
 * left out keeps the flow's own setting (not LocalLab's default): the flow's author chose them.
 */
final class LocalLabRequests {
    /** The most prompts one batch may hold. */
    static final int MAX_BATCH = 64;

    /** A generation request: the run's chat request and whether to stream it. */
    record Generation(ChatRequest chat, boolean stream) {
    }

    private LocalLabRequests() {
    }

    static Generation generate(byte[] body, String flowName) throws BadRequest {
        JsonNode root = JsonBody.object(body, "with a \"prompt\"");
        String prompt = JsonFields.text(root, "prompt", "the text to continue");
        return new Generation(new ChatRequest(ChatRequest.ofUser(prompt).messages(), options(root, flowName)),
                JsonFields.bool(root.get("stream"), "stream", false));
    }

    static Generation chat(byte[] body, String flowName) throws BadRequest {
        JsonNode root = JsonBody.object(body, "with \"messages\"");
        return new Generation(new ChatRequest(JsonFields.messages(root.get("messages"), "messages"),
                options(root, flowName)), JsonFields.bool(root.get("stream"), "stream", false));
    }

    static List<ChatRequest> batch(byte[] body, String flowName) throws BadRequest {
        JsonNode root = JsonBody.object(body, "with \"prompts\"");
        JsonNode prompts = root.get("prompts");
        if (prompts == null || !prompts.isArray() || prompts.isEmpty() || prompts.size() > MAX_BATCH) {
            throw new BadRequest("prompts", "'prompts' must be a list of 1 to " + MAX_BATCH + " strings");
        }
        if (root.has("stream") && root.get("stream").asBoolean(false)) {
            throw new BadRequest("stream", "a batch is answered whole: 'stream' must be false or left out");
        }
        GenerationOptions options = options(root, flowName);
        List<ChatRequest> requests = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            JsonNode p = prompts.get(i);
            if (!p.isTextual() || p.textValue().isBlank()) {
                throw new BadRequest("prompts[" + i + "]", "prompts[" + i + "] must be a non-empty string");
            }
            requests.add(new ChatRequest(ChatRequest.ofUser(p.textValue()).messages(), options));
        }
        return requests;
    }

    /**
     * The quality parameters: {@code max_length}, {@code temperature}, {@code top_p}, {@code top_k},
     * {@code repetition_penalty}, and {@code do_sample} (false: greedy, whatever the temperature). {@code model_id}
     * may be null or name the flow; the flow is the one model this server has.
     */
    private static GenerationOptions options(JsonNode root, String flowName) throws BadRequest {
        JsonNode model = root.get("model_id");
        if (model != null && !model.isNull() && !(model.isTextual()
                && (model.textValue().isEmpty() || model.textValue().equals(flowName)))) {
            throw new BadRequest(404, "model_id", "model_id " + model + " is not served here; this server serves the "
                    + "flow '" + flowName + "' (leave model_id null)", null);
        }
        Double temperature = JsonFields.number(root, "temperature", 0, 2);
        if (!JsonFields.bool(root.get("do_sample"), "do_sample", true)) {
            temperature = 0.0; // greedy decoding
        }
        return new GenerationOptions(JsonFields.integer(root, "max_length", 1), temperature,
                JsonFields.number(root, "top_p", 0, 1), null, null, null, null)
                .withSampler(JsonFields.integer(root, "top_k", 0), JsonFields.number(root, "repetition_penalty", 0.01, 10));
    }
}
