package dev.flowgraph.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** The first step of every route's parser: the body as a JSON object, or a 400 saying why not. */
public final class JsonBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBody() {
    }

    /** @param expected what the object should hold, for the message (such as {@code with a "message" array}) */
    public static JsonNode object(byte[] body, String expected) throws BadRequest {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest(null, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest(null, "the body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest(null, "the body must be a JSON object " + expected);
        }
        return root;
    }
}
