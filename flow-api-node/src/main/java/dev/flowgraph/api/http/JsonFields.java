package dev.flowgraph.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.Role;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields request bodies of every dialect share, read the same way: absent or null means "not given", anything
 * else of the wrong type or out of range is a {@link BadRequest} naming the field.
 */
public final class JsonFields {
    private JsonFields() {
    }

    public static Integer integer(JsonNode root, String field, int min) throws BadRequest {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min) {
            throw new BadRequest(field, "'" + field + "' must be a whole number of at least " + min);
        }
        return v.asInt();
    }

    public static Double number(JsonNode root, String field, double min, double max) throws BadRequest {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw new BadRequest(field, "'" + field + "' must be a number from " + format(min) + " to " + format(max));
        }
        return v.asDouble();
    }

    /** A boolean field; {@code fallback} when absent or null. */
    public static boolean bool(JsonNode v, String field, boolean fallback) throws BadRequest {
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new BadRequest(field, "'" + field + "' must be true or false");
        }
        return v.booleanValue();
    }

    /** A non-blank string field, required. */
    public static String text(JsonNode root, String field, String what) throws BadRequest {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new BadRequest(field, "'" + field + "' is required: " + what);
        }
        return v.textValue();
    }

    /**
     * Chat messages: a non-empty array of {@code {role, content}} objects; the role {@code system} (or OpenAI's
     * {@code developer}), {@code user} or {@code assistant}; the content a string or a list of text parts.
     */
    public static List<ChatMessage> messages(JsonNode messages, String field) throws BadRequest {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new BadRequest(field, "'" + field + "' must be a non-empty array of {role, content} objects");
        }
        List<ChatMessage> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String at = field + "[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw new BadRequest(at, at + " must be an object with 'role' and 'content'");
            }
            JsonNode roleNode = m.get("role");
            String roleName = roleNode == null || !roleNode.isTextual() ? null : roleNode.textValue();
            // OpenAI's newer "developer" role is its system role.
            Role role = "developer".equals(roleName) ? Role.SYSTEM
                    : roleName == null ? null : Role.fromWireName(roleName).orElse(null);
            if (role == null) {
                throw new BadRequest(at + ".role", at + ".role must be 'system', 'developer', 'user' or 'assistant'"
                        + (roleName == null ? "" : ", not '" + roleName + "'"));
            }
            parsed.add(new ChatMessage(role, content(m.get("content"), at + ".content")));
        }
        return parsed;
    }

    /** A string, or a list of text parts ({@code {"type":"text","text":...}}) joined. */
    private static String content(JsonNode content, String at) throws BadRequest {
        if (content != null && content.isTextual()) {
            return content.textValue();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                if (!part.path("type").asText().equals("text") || !part.path("text").isTextual()) {
                    throw new BadRequest(at + "[" + i + "]", "only text content parts are supported");
                }
                text.append(part.get("text").textValue());
            }
            return text.toString();
        }
        throw new BadRequest(at, at + " must be a string or a list of text parts");
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
