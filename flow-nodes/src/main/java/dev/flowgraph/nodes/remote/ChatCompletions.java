package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.ResponseFormat;
import dev.flowgraph.core.chat.GenerationOptions;
import dev.flowgraph.core.run.Usage;

import java.util.Locale;
import java.util.Optional;

/**
 * The wire format of {@code /chat/completions}: the request body in either dialect, and the pieces of an answer
 * (a whole body, or one streamed chunk), standard or wrapped in {@code {"code","msg","data"}}.
 */
final class ChatCompletions {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Field names that differ between the dialects. */
    enum Dialect {
        OPENAI("max_tokens", "top_p", "presence_penalty", "frequency_penalty"),
        SERVERLESS("maxTokens", "topP", "presencePenalty", "frequencyPenalty");

        final String maxTokens;
        final String topP;
        final String presencePenalty;
        final String frequencyPenalty;

        Dialect(String maxTokens, String topP, String presencePenalty, String frequencyPenalty) {
            this.maxTokens = maxTokens;
            this.topP = topP;
            this.presencePenalty = presencePenalty;
            this.frequencyPenalty = frequencyPenalty;
        }

        static Dialect of(String setting) {
            return valueOf(setting.toUpperCase(Locale.ROOT));
        }
    }

    /** The node's own sampling settings; a request's generation options take their place where given. */
    record Defaults(String model, boolean stream, int maxTokens, double temperature, double topP,
                    double presencePenalty, double frequencyPenalty) {
    }

    private ChatCompletions() {
    }

    /** The conversation as the {@code messages} list of role and content that chat services share. */
    static void putMessages(ObjectNode body, ChatRequest request) {
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
    }

    static String requestBody(ChatRequest request, Defaults d, Dialect dialect) {
        return requestBody(request, d, dialect, ResponseFormat.TEXT);
    }

    /** The request, asking for {@code format} as OpenAI's {@code response_format} when it is JSON. */
    static String requestBody(ChatRequest request, Defaults d, Dialect dialect, ResponseFormat format) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", d.model());
        putMessages(body, request);
        GenerationOptions o = request.options();
        body.put("stream", d.stream());
        if (d.stream() && dialect == Dialect.OPENAI) {
            // Standard streams carry no usage unless asked; the serverless variant sends it in every chunk.
            body.putObject("stream_options").put("include_usage", true);
        }
        body.put(dialect.maxTokens, o.maxTokens() != null ? o.maxTokens() : d.maxTokens());
        body.put("temperature", o.temperature() != null ? o.temperature() : d.temperature());
        body.put(dialect.topP, o.topP() != null ? o.topP() : d.topP());
        body.put(dialect.presencePenalty, o.presencePenalty() != null ? o.presencePenalty() : d.presencePenalty());
        body.put(dialect.frequencyPenalty, o.frequencyPenalty() != null ? o.frequencyPenalty() : d.frequencyPenalty());
        if (o.seed() != null) {
            body.put("seed", o.seed());
        }
        if (o.stop() != null && !o.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            o.stop().forEach(stop::add);
        }
        if (format.kind() == ResponseFormat.Kind.JSON_OBJECT) {
            body.putObject("response_format").put("type", "json_object");
        } else if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA) {
            ObjectNode schema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
            schema.put("name", "answer");
            schema.put("strict", true);
            try {
                schema.set("schema", JSON.readTree(format.schema()));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("the JSON schema is not JSON", e); // checked when the flow starts
            }
        }
        return body.toString();
    }

    /**
     * Reads a whole answer or one streamed chunk.
     *
     * @throws RemoteCallException when it is not JSON, carries an error, or has no choices
     */
    static AnswerPiece parse(String service, String json) throws RemoteCallException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new RemoteCallException(service + " sent a body that is not JSON: " + ServiceErrors.abbreviate(json));
        }
        JsonNode answer = unwrap(service, root);
        JsonNode choice = answer.path("choices").path(0);
        if (choice.isMissingNode()) {
            if (answer.has("usage")) {
                return new AnswerPiece("", null, usage(answer));
            }
            throw new RemoteCallException(service + " sent an answer without choices: " + ServiceErrors.abbreviate(json));
        }
        JsonNode part = choice.has("delta") ? choice.path("delta") : choice.path("message");
        String text = part.path("content").isTextual() ? part.path("content").asText() : "";
        String finish = choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : null;
        return new AnswerPiece(text, finish, answer.has("usage") ? usage(answer) : null);
    }

    /** The serverless variant wraps the answer as {@code {"code":200,"msg":...,"data":{...}}}; errors too. */
    private static JsonNode unwrap(String service, JsonNode root) throws RemoteCallException {
        if (root.has("error")) {
            throw new RemoteCallException(service + " answered with an error: " + ServiceErrors.message(root));
        }
        if (root.has("code") && root.has("data") && !root.has("choices")) {
            int code = root.path("code").asInt(200);
            if (code >= 400 || root.path("data").isNull()) {
                throw new RemoteCallException(service + " answered code " + code + ": " + root.path("msg").asText());
            }
            return root.path("data");
        }
        if (root.has("code") && root.has("msg") && !root.has("choices")) {
            throw new RemoteCallException(service + " answered code " + root.path("code").asText() + ": "
                    + root.path("msg").asText());
        }
        return root;
    }

    static Usage usage(JsonNode answer) {
        JsonNode u = answer.path("usage");
        return new Usage(u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt());
    }

    static Optional<String> sseData(String line) {
        // Both "data: {...}" (standard) and "data:{...}" (serverless, no space after the colon).
        if (!line.startsWith("data:")) {
            return Optional.empty();
        }
        return Optional.of(line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5));
    }
}
