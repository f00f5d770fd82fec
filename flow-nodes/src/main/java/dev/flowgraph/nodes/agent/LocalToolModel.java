package dev.flowgraph.nodes.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaOutput;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.Role;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.Usage;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.nodes.llm.LocalModel;
import dev.flowgraph.nodes.remote.ToolChat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A local model as an agent's model: each step is generated under a llama.cpp grammar made from the tools' schemas, so
 * the answer is always either {@code {"tool": NAME, "arguments": {...}}} for an existing tool with arguments that match
 * its schema, or {@code {"answer": TEXT}}. The tools are described to the model in a system message.
 */
final class LocalToolModel implements AgentModel {
    private final String nodeId;
    private final NodeSettings settings;
    private final int maxTokens;
    private final float temperature;
    private final AtomicInteger calls = new AtomicInteger();
    private LocalModel local;
    private volatile int lastPromptTokens;

    LocalToolModel(String nodeId, NodeSettings settings) {
        this.nodeId = nodeId;
        this.settings = settings;
        this.maxTokens = settings.integer("maxTokens");
        this.temperature = (float) settings.number("temperature");
    }

    @Override
    public void start() throws Exception {
        local = LocalModel.open(nodeId, settings.path("modelPath"), settings.pathCandidates("modelPath"),
                settings.integer("contextSize"), 1, settings.integerOrAuto("threads"), "auto");
    }

    @Override
    public ToolChat.Step step(Run run, ArrayNode messages, Collection<Tool> tools, boolean mustCallTool,
                              Consumer<String> text) {
        String prompt = local.render(new ChatRequest(conversation(messages, tools)));
        InferenceParameters params = new InferenceParameters(prompt).setNPredict(maxTokens).setTemperature(temperature)
                .setGrammar(local.grammar(schema(tools, mustCallTool).toString()));
        StringBuilder answer = new StringBuilder();
        int tokens = 0;
        LlamaIterator it = local.model().generate(params).iterator();
        while (it.hasNext()) {
            LlamaOutput token = it.next();
            if (run.isCancelled()) {
                it.cancel();
                break;
            }
            answer.append(token.text);
            tokens += token.text.isEmpty() ? 0 : 1;
        }
        int promptTokens = local.model().encode(prompt).length;
        lastPromptTokens = promptTokens;
        Usage usage = new Usage(promptTokens, tokens);
        JsonNode value;
        try {
            value = Values.JSON.readTree(answer.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the local model's step was cut at maxTokens (" + maxTokens
                    + ") before its JSON was complete; raise maxTokens");
        }
        if (value.has("tool")) {
            return new ToolChat.Step("", List.of(new ToolChat.ToolCall("call_" + calls.incrementAndGet(),
                    value.path("tool").asText(), value.path("arguments").toString())), usage, "tool_calls");
        }
        String said = value.path("answer").asText();
        text.accept(said);
        return new ToolChat.Step(said, List.of(), usage, tokens >= maxTokens ? "length" : "stop");
    }

    /** One choice per tool (its name and arguments matching its schema), and a final answer unless a call is due. */
    private static ObjectNode schema(Collection<Tool> tools, boolean mustCallTool) {
        ObjectNode schema = Values.JSON.createObjectNode();
        ArrayNode choices = schema.putArray("anyOf");
        for (Tool tool : tools) {
            ObjectNode call = choices.addObject().put("type", "object");
            call.putObject("properties").<ObjectNode>set("tool", Values.JSON.createObjectNode().put("const", tool.name()))
                    .set("arguments", withoutAnnotations(tool.parameters()));
            call.putArray("required").add("tool").add("arguments");
        }
        if (!mustCallTool || tools.isEmpty()) {
            ObjectNode answer = choices.addObject().put("type", "object");
            answer.putObject("properties").putObject("answer").put("type", "string");
            answer.putArray("required").add("answer");
        }
        return schema;
    }

    /** A tool's schema without the keywords that only describe it ($schema, ids): the grammar needs none of them. */
    private static JsonNode withoutAnnotations(JsonNode parameters) {
        ObjectNode copy = parameters.deepCopy();
        copy.remove(List.of("$schema", "$id", "$comment"));
        return copy;
    }

    /** The conversation as the local model reads it: the tools described first, tool results as user messages. */
    private static List<ChatMessage> conversation(ArrayNode messages, Collection<Tool> tools) {
        StringBuilder system = new StringBuilder("You can call tools. Answer with JSON: {\"tool\": NAME, "
                + "\"arguments\": {...}} to call one, or {\"answer\": TEXT} to answer the user.\nTools:");
        for (Tool tool : tools) {
            system.append("\n- ").append(tool.name()).append(": ").append(tool.description()).append(" Arguments: ")
                    .append(tool.parameters().path("properties"));
        }
        List<ChatMessage> list = new ArrayList<>();
        list.add(ChatMessage.system(system.toString()));
        Map<String, String> names = new java.util.HashMap<>();
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if (role.equals("tool")) {
                list.add(ChatMessage.user("Result of " + names.getOrDefault(m.path("tool_call_id").asText(), "the tool")
                        + ": " + m.path("content").asText()));
            } else if (m.has("tool_calls")) {
                JsonNode call = m.path("tool_calls").path(0);
                names.put(call.path("id").asText(), call.path("function").path("name").asText());
                list.add(ChatMessage.assistant("{\"tool\": \"" + call.path("function").path("name").asText()
                        + "\", \"arguments\": " + call.path("function").path("arguments").asText() + "}"));
            } else {
                list.add(new ChatMessage(Role.fromWireName(role).orElse(Role.USER), m.path("content").asText()));
            }
        }
        return list;
    }

    @Override
    public String lastSent() {
        return lastPromptTokens + " prompt tokens";
    }

    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
