package dev.flowgraph.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.Role;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code {"message":[{"role":...,"content":...}, ...]}}; every refusal names the field. */
final class PromptRequestParser {
    private PromptRequestParser() {
    }

    static ChatRequest parse(byte[] body) throws BadRequest {
        JsonNode root = JsonBody.object(body, "with a \"message\" array");
        JsonNode messages = root.get("message");
        if (messages == null || messages.isNull()) {
            throw new BadRequest("message", "\"message\" is required: a list of {\"role\", \"content\"} objects");
        }
        if (!messages.isArray()) {
            throw new BadRequest("message", "\"message\" must be an array of {\"role\", \"content\"} objects");
        }
        if (messages.isEmpty()) {
            throw new BadRequest("message", "\"message\" must hold at least one message");
        }
        List<ChatMessage> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String at = "message[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw new BadRequest(at, at + " must be an object with \"role\" and \"content\"");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) {
                throw new BadRequest(at + ".role", at + ".role is required: \"system\", \"user\" or \"assistant\"");
            }
            Role r = Role.fromWireName(role.textValue()).orElseThrow(() -> new BadRequest(at + ".role",
                    at + ".role must be \"system\", \"user\" or \"assistant\", not \"" + role.textValue() + "\""));
            JsonNode content = m.get("content");
            if (content == null || !content.isTextual()) {
                throw new BadRequest(at + ".content", at + ".content must be a string"
                        + (content == null ? " (it is missing)" : ", not " + content.getNodeType().toString()
                        .toLowerCase(java.util.Locale.ROOT)));
            }
            parsed.add(new ChatMessage(r, content.textValue()));
        }
        return new ChatRequest(parsed);
    }
}
