package dev.flowgraph.nodes.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.nodes.tool.ToolOffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Offers an HTTP call to agents as a tool: each {@code {{name}}} in its URL and body is a required string parameter,
 * and the answer's body is the result.
 */
public final class HttpTool implements NodeType {
    public static final String TYPE = "tool.http";
    private static final PortSpec TOOL = ToolOffer.TOOL;

    private static final NodeDescriptor DESCRIPTOR = HttpTemplate.declare(NodeDescriptor.builder(TYPE, "HTTP tool")
            .category("Agent")
            .description("Offers an HTTP call to an Agent as a tool: every {{name}} in 'url' and 'body' is a required "
                    + "string parameter the model fills; the tool's result is the answer's body. An answer outside 2xx "
                    + "is the call's error; header values never appear in it.")
            .output(TOOL), "{{name}} is the parameter 'name' as text, {{name.json}} as a JSON string.")
            .setting(ToolOffer.nameSetting())
            .setting(SettingSpec.text("description", "").help("What the tool does, for the model."))
            .setting(SettingSpec.stringList("parameterHelp").help("Optional, one line per parameter, 'name: what it "
                    + "is', for the model."))
            .check((settings, scope) -> problems(settings.string("url"), settings.string("body"),
                    settings.stringList("headers")))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new Behaviour(context);
    }

    private static List<SettingProblem> problems(String url, String body, List<String> headers) {
        List<SettingProblem> problems = new ArrayList<>(HttpTemplate.problems(url, headers));
        if (!url.isEmpty() && HttpTemplate.placeholders(url, body).isEmpty()) {
            problems.add(new SettingProblem("url", "names no parameter: put {{name}} in 'url' or 'body' for each "
                    + "value the model gives"));
        }
        return problems;
    }

    private static final class Behaviour extends ToolOffer implements Tool {
        private final HttpTemplate template;
        private final Set<String> names;
        private final ObjectNode parameters;

        Behaviour(NodeContext context) {
            super(context, TOOL);
            this.template = new HttpTemplate(context);
            this.names = HttpTemplate.placeholders(template.url(), template.body());
            Map<String, String> help = new LinkedHashMap<>();
            for (String line : context.settings().stringList("parameterHelp")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    help.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
            parameters = Values.JSON.createObjectNode().put("type", "object");
            ObjectNode properties = parameters.putObject("properties");
            for (String name : names) {
                ObjectNode p = properties.putObject(name).put("type", "string");
                if (help.containsKey(name)) {
                    p.put("description", help.get(name));
                }
                parameters.withArray("required").add(name);
            }
            parameters.put("additionalProperties", false);
        }

        @Override
        public void start() {
            template.start();
            offer(this);
        }

        @Override
        public String name() {
            return context.settings().string("name");
        }

        @Override
        public String description() {
            return context.settings().string("description");
        }

        @Override
        public JsonNode parameters() {
            return parameters;
        }

        @Override
        public CompletableFuture<String> call(JsonNode arguments, Run run) {
            Map<String, String> texts = new LinkedHashMap<>();
            Map<String, String> jsons = new LinkedHashMap<>();
            for (String name : names) {
                JsonNode value = arguments.path(name);
                texts.put(name, Values.text(value));
                jsons.put(name, value.toString());
            }
            return template.call(run, texts, jsons).thenApply(HttpTemplate.Answer::body);
        }
    }
}
