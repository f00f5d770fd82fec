package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading what a service says went wrong, whichever of the usual error shapes it uses. */
final class ServiceErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceErrors() {
    }

    /**
     * The message of an error body: OpenAI's {@code {"error":{"message"}}} or {@code {"error":"..."}}, the serverless
     * {@code {"msg"}}, FastAPI's {@code {"detail"}} (LocalLab); otherwise the start of the body as it is.
     */
    static String message(String body) {
        try {
            JsonNode root = JSON.readTree(body);
            String found = message(root);
            if (found != null) {
                return found;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: show the start of it
        }
        return abbreviate(body);
    }

    /** The message of an error object, or null when {@code root} carries none. */
    static String message(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode error = root.path("error");
        if (error.isTextual()) {
            return error.asText();
        }
        if (error.has("message")) {
            return error.path("message").asText();
        }
        if (root.has("msg")) {
            return root.path("msg").asText();
        }
        JsonNode detail = root.path("detail");
        if (detail.isTextual()) {
            return detail.asText();
        }
        if (!detail.isMissingNode() && !detail.isNull()) {
            // FastAPI validation errors: a list of {loc, msg}
            return detail.toString();
        }
        return null;
    }

    static String abbreviate(String text) {
        String t = text.strip();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }
}
