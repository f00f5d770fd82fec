package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.Usage;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One step of a chat with tools against an OpenAI-compatible service ({@code /chat/completions} with {@code tools}):
 * the answer's text goes to a sink piece by piece as it comes, the tool calls are gathered (streamed ones put together
 * from their pieces), and the step ends with them, the usage and the finish reason.
 */
public final class ToolChat implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String apiKey;
    private final RemoteHttp http;

    /** A call the model asked for: its id (echoed with the result), the tool's name and the arguments as JSON text. */
    public record ToolCall(String id, String name, String arguments) {
    }

    /** What one step gave: text (possibly empty), the tool calls (none: a final answer), usage and finish reason. */
    public record Step(String content, List<ToolCall> calls, Usage usage, String finishReason) {
    }

    public ToolChat(String baseUrl, String apiKey, Duration connectTimeout, Duration readTimeout) {
        String base = RemoteChatNode.trimmed(baseUrl);
        this.endpoint = URI.create(base + "/chat/completions");
        this.apiKey = apiKey;
        this.http = new RemoteHttp("chat service at " + base, connectTimeout, readTimeout);
    }

    public void start() {
        http.start();
    }

    /**
     * Sends {@code body} (model, messages, tools, stream, ...) and reads the answer, streamed or whole as the body asks.
     *
     * @param text gets each piece of the answer's text as it arrives
     * @throws RemoteCallException naming the service and what went wrong (never the key)
     */
    public Step step(Run run, ObjectNode body, Consumer<String> text) throws RemoteCallException {
        return step(run, body, body.toString(), text);
    }

    /** Like {@link #step(Run, ObjectNode, Consumer)}, with the body already written as {@code json}. */
    public Step step(Run run, ObjectNode body, String json, Consumer<String> text) throws RemoteCallException {
        boolean stream = body.path("stream").asBoolean(false);
        try (RemoteHttp.Call call = http.call(run)) {
            HttpRequest.Builder request = RemoteHttp.request(endpoint, stream ? "text/event-stream" : "application/json",
                    apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            Gathered gathered = new Gathered();
            if (!stream) {
                gathered.add(read(call.sendForText(request)), text);
                return gathered.step();
            }
            HttpResponse<InputStream> response = call.sendExpectingSuccess(request);
            if (response.headers().firstValue("Content-Type").orElse("").contains("event-stream")) {
                call.lines(response, line -> {
                    String data = ChatCompletions.sseData(line).orElse(null);
                    if (data == null || data.isBlank()) {
                        return true;
                    }
                    if (data.strip().equals("[DONE]")) {
                        return false;
                    }
                    gathered.add(read(data), text);
                    return true;
                });
            } else {
                gathered.add(read(call.text(response)), text);
            }
            return gathered.step();
        }
    }

    private JsonNode read(String json) throws RemoteCallException {
        JsonNode answer;
        try {
            answer = JSON.readTree(json);
        } catch (java.io.IOException e) {
            answer = null;
        }
        if (answer == null || !answer.has("choices")) {
            ChatCompletions.parse(http.service(), json); // errors and odd shapes, said the way the chat node says them
        }
        return answer;
    }

    /** A step's answer as its chunks (or its one body) come in. */
    private static final class Gathered {
        private final StringBuilder content = new StringBuilder();
        /** Streamed tool calls by their index: id and name come first, the arguments in pieces. */
        private final Map<Integer, String[]> calls = new TreeMap<>();
        private Usage usage;
        private String finishReason;

        void add(JsonNode answer, Consumer<String> text) {
            if (answer.has("usage") && answer.path("usage").isObject()) {
                usage = ChatCompletions.usage(answer);
            }
            JsonNode choice = answer.path("choices").path(0);
            if (choice.isMissingNode()) {
                return;
            }
            if (choice.path("finish_reason").isTextual()) {
                finishReason = choice.path("finish_reason").asText();
            }
            JsonNode part = choice.has("delta") ? choice.path("delta") : choice.path("message");
            String piece = part.path("content").isTextual() ? part.path("content").asText() : "";
            if (!piece.isEmpty()) {
                content.append(piece);
                text.accept(piece);
            }
            int position = 0;
            for (JsonNode c : part.path("tool_calls")) {
                int index = c.path("index").asInt(position++);
                String[] call = calls.computeIfAbsent(index, i -> new String[]{null, "", ""});
                if (c.path("id").isTextual()) {
                    call[0] = c.path("id").asText();
                }
                JsonNode function = c.path("function");
                if (function.path("name").isTextual()) {
                    call[1] += function.path("name").asText();
                }
                if (function.path("arguments").isTextual()) {
                    call[2] += function.path("arguments").asText();
                } else if (function.path("arguments").isObject()) {
                    call[2] = function.path("arguments").toString(); // some services send an object
                }
            }
        }

        Step step() {
            List<ToolCall> list = new ArrayList<>();
            calls.forEach((i, c) -> list.add(new ToolCall(c[0] != null ? c[0] : "call_" + i, c[1], c[2])));
            return new Step(content.toString(), list, usage == null ? Usage.NONE : usage,
                    finishReason == null ? (list.isEmpty() ? "stop" : "tool_calls") : finishReason);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
