package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.GenerationOptions;

import java.io.IOException;

/** LocalLab's wire format: the request bodies of {@code /chat} and {@code /generate}, and the answers to them. */
final class LocalLabWire {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DONE = "[DONE]";

    /** The node's quality settings; a request's own options (max tokens, temperature, top p) take their place. */
    record Quality(String modelId, boolean stream, int maxLength, double temperature, double topP, int topK,
                   double repetitionPenalty, boolean doSample) {
    }

    private LocalLabWire() {
    }

    static String chatBody(ChatRequest request, Quality q) {
        ObjectNode body = JSON.createObjectNode();
        ChatCompletions.putMessages(body, request);
        return withQuality(body, request.options(), q);
    }

    static String generateBody(ChatRequest request, Quality q) {
        ObjectNode body = JSON.createObjectNode();
        body.put("prompt", PlainPrompt.of(request));
        return withQuality(body, request.options(), q);
    }

    private static String withQuality(ObjectNode body, GenerationOptions o, Quality q) {
        if (q.modelId().isEmpty()) {
            body.putNull("model_id");
        } else {
            body.put("model_id", q.modelId());
        }
        body.put("stream", q.stream());
        body.put("max_length", o.maxTokens() != null ? o.maxTokens() : q.maxLength());
        body.put("temperature", o.temperature() != null ? o.temperature() : q.temperature());
        body.put("top_p", o.topP() != null ? o.topP() : q.topP());
        body.put("top_k", q.topK());
        body.put("repetition_penalty", q.repetitionPenalty());
        body.put("do_sample", q.doSample());
        return body.toString();
    }

    /**
     * The text of one streamed event. LocalLab sends the token itself as the event's data; a JSON chunk in the
     * OpenAI or {@code {"response"}} shape is read too, and one carrying {@code detail} or {@code error} fails.
     */
    static String streamedText(String service, String data) throws RemoteCallException {
        if (!data.startsWith("{")) {
            return data;
        }
        JsonNode chunk;
        try {
            chunk = JSON.readTree(data);
        } catch (IOException e) {
            return data; // a token that merely starts with a brace
        }
        String error = ServiceErrors.message(chunk);
        if (error != null) {
            throw new RemoteCallException(service + " reported an error in the middle of its answer: " + error);
        }
        JsonNode choice = chunk.path("choices").path(0);
        for (JsonNode text : new JsonNode[] {choice.path("delta").path("content"), choice.path("message").path("content"),
                choice.path("text"), chunk.path("response"), chunk.path("token"), chunk.path("text")}) {
            if (text.isTextual()) {
                return text.asText();
            }
        }
        return data;
    }

    /** A whole answer: {@code {"response","usage"}} from /generate, {@code {"choices","usage"}} from /chat. */
    static AnswerPiece body(String service, String json) throws RemoteCallException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new RemoteCallException(service + " sent a body that is not JSON: " + ServiceErrors.abbreviate(json));
        }
        String error = ServiceErrors.message(root);
        if (error != null) {
            throw new RemoteCallException(service + " answered with an error: " + error);
        }
        var usage = root.has("usage") ? ChatCompletions.usage(root) : null;
        if (root.path("response").isTextual()) {
            return new AnswerPiece(root.path("response").asText(), null, usage);
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual()) {
            throw new RemoteCallException(service + " sent an answer with neither a response nor a message: "
                    + ServiceErrors.abbreviate(json));
        }
        String finish = choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : null;
        return new AnswerPiece(content.asText(), finish, usage);
    }
}
