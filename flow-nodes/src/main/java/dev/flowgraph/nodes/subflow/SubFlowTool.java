package dev.flowgraph.nodes.subflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.nodes.tool.ToolOffer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Offers a flow file to agents as a tool: its Flow inputs are the tool's parameters, its first Flow output the result. */
public final class SubFlowTool implements NodeType {
    public static final String TYPE = "tool.subflow";
    private static final String NAME = "name";
    private static final String DESCRIPTION = "description";
    private static final PortSpec TOOL = ToolOffer.TOOL;

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Sub-flow tool")
            .category("Agent")
            .description("Offers a flow file to an Agent as a tool: each Flow input of the file is a required parameter "
                    + "(a string for text, any JSON for json), and the tool's result is the file's first Flow output. "
                    + "Each call is a run inside the agent's run, traced under this node.")
            .output(TOOL)
            .setting(FlowInterfaceFile.flowSetting(" when the agent calls the tool"))
            .setting(ToolOffer.nameSetting())
            .setting(SettingSpec.text(DESCRIPTION, "").help("What the tool does, for the model: when to call it and "
                    + "what it gives back. The Flow inputs' own descriptions describe its parameters."))
            .check((settings, scope) -> FlowInterfaceFile.problems(scope, settings.string(FlowInterfaceFile.FLOW), true))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new Behaviour(context);
    }

    private static final class Behaviour extends ToolOffer implements Tool {
        private final AtomicInteger calls = new AtomicInteger();
        private SubFlowRunner runner;
        private List<PortSpec> inputs;
        private ObjectNode parameters;

        Behaviour(NodeContext context) {
            super(context, TOOL);
        }

        @Override
        public void start() throws Exception {
            String path = context.settings().string(FlowInterfaceFile.FLOW);
            inputs = FlowInterfaceFile.inputs(context.options().scope(), path);
            parameters = schema(inputs);
            runner = SubFlowRunner.start(context);
            offer(this);
        }

        private static ObjectNode schema(List<PortSpec> inputs) {
            ObjectNode schema = Values.JSON.createObjectNode().put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            for (PortSpec input : inputs) {
                ObjectNode p = properties.putObject(input.name());
                if (input.type() != DataType.JSON && input.type() != DataType.ANY) {
                    p.put("type", "string");
                }
                if (input.description() != null && !input.description().isBlank()) {
                    p.put("description", input.description());
                }
            }
            inputs.forEach(i -> schema.withArray("required").add(i.name()));
            schema.put("additionalProperties", false);
            return schema;
        }

        @Override
        public String name() {
            return context.settings().string(NAME);
        }

        @Override
        public String description() {
            return context.settings().string(DESCRIPTION);
        }

        @Override
        public JsonNode parameters() {
            return parameters;
        }

        /** One run of the sub-flow inside the agent's run, traced as {@code nodeId#n/...}. */
        @Override
        public CompletableFuture<String> call(JsonNode arguments, Run run) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (PortSpec input : inputs) {
                JsonNode value = arguments.path(input.name());
                values.put(input.name(), input.type() == DataType.JSON || input.type() == DataType.ANY ? value
                        : value.isTextual() ? value.textValue() : value.toString());
            }
            return runner.callWhole(run, context.nodeId() + "#" + calls.incrementAndGet() + "/", values)
                    .thenApply(Values::text);
        }

        @Override
        public void close() {
            if (runner != null) {
                runner.close();
            }
        }
    }
}
