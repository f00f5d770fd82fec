package dev.flowgraph.nodes.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.nodes.remote.RemoteCallException;
import dev.flowgraph.nodes.remote.ToolChat;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;

/** An OpenAI-compatible service with native tool calls ({@code tools}, {@code tool_calls}). */
final class ServiceModel implements AgentModel {
    private final ToolChat chat;
    private final String model;
    private final boolean stream;
    private final int maxTokens;
    private final double temperature;
    private volatile int lastSent;

    ServiceModel(NodeSettings s) {
        this.chat = new ToolChat(s.string("baseUrl"), s.string("apiKey"),
                Duration.ofSeconds(s.integer("connectTimeoutSeconds")), Duration.ofSeconds(s.integer("readTimeoutSeconds")));
        this.model = s.string("model");
        this.stream = s.bool("stream");
        this.maxTokens = s.integer("maxTokens");
        this.temperature = s.number("temperature");
    }

    @Override
    public void start() {
        chat.start();
    }

    @Override
    public ToolChat.Step step(Run run, ArrayNode messages, Collection<Tool> tools, boolean mustCallTool,
                              Consumer<String> text) throws RemoteCallException {
        ObjectNode body = Values.JSON.createObjectNode();
        body.put("model", model);
        body.set("messages", messages);
        body.put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        body.put("max_tokens", maxTokens);
        body.put("temperature", temperature);
        if (!tools.isEmpty()) {
            ArrayNode list = body.putArray("tools");
            for (Tool tool : tools) {
                ObjectNode function = list.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                function.put("description", tool.description());
                function.set("parameters", tool.parameters());
            }
            if (mustCallTool) {
                body.put("tool_choice", "required");
            }
        }
        String json = body.toString();
        lastSent = json.length();
        return chat.step(run, body, json, text);
    }

    @Override
    public String lastSent() {
        return lastSent + " chars sent";
    }

    @Override
    public void close() {
        chat.close();
    }
}
