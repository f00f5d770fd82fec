package dev.flowgraph.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.Role;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code {"message":[{"role":...,"content":...}, ...]}}; every refusal names the field. */
public final class PromptRequestParser {
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
        return new ChatRequest(parsed).withSession(sessionId(root.get("session_id"), "session_id"));
    }

    /**
     * A session id as a client sent it (null when absent), or a refusal naming {@code param}.
     */
    public static String sessionId(JsonNode value, String param) throws BadRequest {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequest(param, "\"" + param + "\" must be a string of 1 to 128 letters, digits, '.', '_', ':' "
                    + "or '-'");
        }
        return sessionId(value.textValue(), param);
    }

    /** @see ChatRequest#SESSION_ID */
    public static String sessionId(String value, String param) throws BadRequest {
        if (!ChatRequest.SESSION_ID.matcher(value).matches()) {
            throw new BadRequest(param, "\"" + param + "\" must be 1 to 128 letters, digits, '.', '_', ':' or '-' "
                    + "(got " + (value.isEmpty() ? "an empty string" : value.length() > 128 ? value.length()
                    + " characters" : "'" + value.replaceAll("[^\\x20-\\x7e]", "?") + "'") + ")");
        }
        return value;
    }
}
