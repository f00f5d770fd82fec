package dev.flowgraph.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.Role;
import dev.flowgraph.core.run.NodeTrace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON shape of a recorded run, answered by {@code GET /runs} and printed by {@code flow runs --json}; also
 * how the store keeps a run's messages and trace in a text column.
 */
public final class RunJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunJson() {
    }

    /** A run with everything recorded; {@code withDetail} false leaves out input, output and trace (for lists). */
    public static ObjectNode of(RunRecord run, boolean withDetail) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", run.id());
        o.put("flow", run.flow());
        o.put("status", run.status().wireName());
        o.put("started", Instant.ofEpochMilli(run.started()).toString());
        if (run.ended() == 0) {
            o.putNull("ended");
        } else {
            o.put("ended", Instant.ofEpochMilli(run.ended()).toString());
        }
        o.put("duration_ms", run.durationMillis());
        o.put("session", run.session());
        o.put("route", run.route());
        o.put("key", run.keyName());
        o.put("instance", run.instance());
        o.put("finish_reason", run.finishReason());
        ObjectNode usage = o.putObject("usage");
        usage.put("prompt_tokens", run.usage().promptTokens());
        usage.put("completion_tokens", run.usage().completionTokens());
        usage.put("total_tokens", run.usage().totalTokens());
        o.put("error", run.error());
        if (withDetail) {
            if (run.input() == null) {
                o.putNull("input");
            } else {
                o.set("input", messages(run.input()));
            }
            o.put("output", run.output());
            o.put("output_chars", run.outputChars());
            o.put("output_cut", run.outputCut());
            o.set("trace", trace(run.trace()));
        }
        return o;
    }

    public static ArrayNode messages(List<ChatMessage> messages) {
        ArrayNode a = JSON.createArrayNode();
        for (ChatMessage m : messages) {
            a.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
        return a;
    }

    public static List<ChatMessage> messagesFrom(String json) {
        List<ChatMessage> list = new ArrayList<>();
        for (JsonNode m : read(json)) {
            list.add(new ChatMessage(Role.fromWireName(m.path("role").asText()).orElse(Role.USER),
                    m.path("content").asText()));
        }
        return list;
    }

    /** Each node's part: times in milliseconds from the run's start. */
    public static ArrayNode trace(List<NodeTrace> trace) {
        ArrayNode a = JSON.createArrayNode();
        for (NodeTrace t : trace) {
            ObjectNode n = a.addObject();
            n.put("node", t.nodeId());
            n.put("start_ms", t.startNanos() / 1e6);
            n.put("end_ms", t.endNanos() / 1e6);
            n.put("tokens_in", t.tokensIn());
            n.put("tokens_out", t.tokensOut());
            n.put("error", t.error());
            if (!t.notes().isEmpty()) {
                ObjectNode notes = n.putObject("notes");
                t.notes().forEach(notes::put);
            }
        }
        return a;
    }

    public static List<NodeTrace> traceFrom(String json) {
        List<NodeTrace> list = new ArrayList<>();
        for (JsonNode n : read(json)) {
            Map<String, String> notes = new LinkedHashMap<>();
            n.path("notes").fields().forEachRemaining(e -> notes.put(e.getKey(), e.getValue().asText()));
            list.add(new NodeTrace(n.path("node").asText(), Math.round(n.path("start_ms").asDouble() * 1e6),
                    Math.round(n.path("end_ms").asDouble() * 1e6), n.path("tokens_in").asInt(),
                    n.path("tokens_out").asInt(), n.path("error").isNull() || n.path("error").isMissingNode()
                    ? null : n.path("error").asText(), notes));
        }
        return list;
    }

    public static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return json == null ? JSON.createArrayNode() : JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
