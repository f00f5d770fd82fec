package dev.flowgraph.nodes.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.core.value.Values;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A test tool node: {@code echo(text)} answers "echo: TEXT" after {@code delayMillis}, or fails when {@code fail}. */
final class EchoTool implements NodeType {
    static final String TYPE = "test.tool";
    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Echo tool")
            .output(PortSpec.output("tool", DataType.TOOL, "the tool"))
            .setting(SettingSpec.string("name", "echo"))
            .setting(SettingSpec.integer("delayMillis", 0).range(0, 60_000))
            .setting(SettingSpec.bool("fail", false))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new NodeBehavior() {
            private final Tool tool = new Tool() {
                @Override
                public String name() {
                    return context.settings().string("name");
                }

                @Override
                public String description() {
                    return "Says the text back";
                }

                @Override
                public JsonNode parameters() {
                    return Values.parse("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"maxLength\":60}},"
                            + "\"required\":[\"text\"]}");
                }

                @Override
                public CompletableFuture<String> call(JsonNode arguments, Run run) {
                    if (context.settings().bool("fail")) {
                        return CompletableFuture.failedFuture(new IllegalStateException("the echo broke"));
                    }
                    return CompletableFuture.supplyAsync(() -> "echo: " + arguments.path("text").asText(),
                            CompletableFuture.delayedExecutor(context.settings().integer("delayMillis"), TimeUnit.MILLISECONDS));
                }
            };

            @Override
            public void start() {
                context.output("tool").emit(new Packet.Delta(context.flowRun(), tool));
            }

            @Override
            public void receive(String inputPort, Packet packet) {
            }
        };
    }
}
