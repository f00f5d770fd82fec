package dev.flowgraph.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.api.http.JsonBody;
import dev.flowgraph.api.http.JsonFields;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.ResponseFormat;
import dev.flowgraph.core.chat.GenerationOptions;

import java.util.ArrayList;
import java.util.List;

/** Reads an OpenAI chat-completions body; every refusal names the field, as OpenAI's {@code param} does. */
final class OpenAiRequestParser {
    private OpenAiRequestParser() {
    }

    static OpenAiRequest parse(byte[] body) throws BadRequest {
        JsonNode root = JsonBody.object(body, "with \"model\" and \"messages\"");
        JsonNode model = root.get("model");
        if (model == null || !model.isTextual() || model.textValue().isBlank()) {
            throw new BadRequest("model", "'model' is required: the name of the flow (see GET /v1/models)");
        }
        List<ChatMessage> messages = JsonFields.messages(root.get("messages"), "messages");
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && (!n.canConvertToInt() || n.asInt() != 1)) {
            throw new BadRequest("n", "only n = 1 is supported");
        }
        Integer maxTokens = JsonFields.integer(root, "max_completion_tokens", 1);
        if (maxTokens == null) {
            maxTokens = JsonFields.integer(root, "max_tokens", 1);
        }
        GenerationOptions options = new GenerationOptions(maxTokens,
                JsonFields.number(root, "temperature", 0, 2), JsonFields.number(root, "top_p", 0, 1), stop(root.get("stop")),
                seed(root.get("seed")), JsonFields.number(root, "presence_penalty", -2, 2),
                JsonFields.number(root, "frequency_penalty", -2, 2));
        boolean stream = JsonFields.bool(root.get("stream"), "stream", false);
        JsonNode streamOptions = root.get("stream_options");
        boolean includeUsage = false;
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!streamOptions.isObject()) {
                throw new BadRequest("stream_options", "'stream_options' must be an object");
            }
            includeUsage = JsonFields.bool(streamOptions.get("include_usage"), "stream_options.include_usage", false);
        }
        ResponseFormat format = responseFormat(root.get("response_format"));
        if (format != null) {
            options = options.withResponseFormat(format);
        }
        // OpenAI's end-user id names the conversation, when no X-Session-Id header does (see ChatCompletionsRoute).
        String session = dev.flowgraph.api.http.PromptRequestParser.sessionId(root.get("user"), "user");
        return new OpenAiRequest(new ChatRequest(messages, options, session), model.textValue(), stream, includeUsage);
    }

    /**
     * OpenAI's {@code response_format}: {@code {"type":"text"}} (the flow's own format: null), {@code json_object}, or
     * {@code json_schema} with {@code json_schema.schema}.
     */
    static ResponseFormat responseFormat(JsonNode value) throws BadRequest {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new BadRequest("response_format", "'response_format' must be an object such as {\"type\": \"json_object\"}");
        }
        String type = value.path("type").asText("");
        switch (type) {
            case "text":
                return null;
            case "json_object":
                return ResponseFormat.JSON_OBJECT;
            case "json_schema":
                JsonNode schema = value.path("json_schema").path("schema");
                if (!schema.isObject()) {
                    throw new BadRequest("response_format.json_schema.schema", "'response_format.json_schema.schema' "
                            + "must be a JSON Schema object");
                }
                return ResponseFormat.jsonSchema(schema.toString());
            default:
                throw new BadRequest("response_format.type", "'response_format.type' must be 'text', 'json_object' or "
                        + "'json_schema'" + (type.isEmpty() ? "" : ", not '" + type + "'"));
        }
    }

    private static Long seed(JsonNode v) throws BadRequest {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadRequest("seed", "'seed' must be a whole number");
        }
        return v.asLong();
    }

    private static List<String> stop(JsonNode v) throws BadRequest {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return List.of(v.textValue());
        }
        if (v.isArray() && v.size() <= 4) {
            List<String> stops = new ArrayList<>();
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw new BadRequest("stop", "'stop' must be a string or a list of up to 4 strings");
                }
                stops.add(s.textValue());
            }
            return stops;
        }
        throw new BadRequest("stop", "'stop' must be a string or a list of up to 4 strings");
    }
}
