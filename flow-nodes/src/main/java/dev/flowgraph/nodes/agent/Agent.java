package dev.flowgraph.nodes.agent;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.nodes.remote.RemoteSettings;

/**
 * A chat model that may call tools in a loop until it answers: tools come in over TOOL wires (a sub-flow, an HTTP
 * request), the model is an OpenAI-compatible service, and the final answer streams like any model's.
 */
public final class Agent implements NodeType {
    public static final String TYPE = "agent";
    static final PortSpec CHAT = RemoteSettings.CHAT;
    static final PortSpec TOOLS = PortSpec.optional("tools", DataType.TOOL,
            "The tools the model may call: wire every tool node here");
    static final PortSpec TEXT = PortSpec.output("text", DataType.TEXT,
            "The final answer, streamed; the end carries the token usage of every step");
    static final String MAX_STEPS = "maxSteps";
    static final String TOOL_TIMEOUT = "toolTimeoutSeconds";
    static final String TOOL_ERRORS = "toolErrors";
    static final String TELL_MODEL = "tell_model";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Agent")
            .category("LLM")
            .description("A chat model that may call tools until it can answer: each step sends the conversation and "
                    + "the tools' descriptions to the model; the tools it asks for run (several at the same time) and "
                    + "their results go back to it; its final answer streams on. Every step and tool call is in the "
                    + "run's trace.")
            .input(CHAT)
            .input(TOOLS)
            .output(TEXT)
            .setting(RemoteSettings.baseUrl(null, "The OpenAI-compatible service, up to and without /chat/completions, "
                    + "e.g. https://api.openai.com/v1. It must support tools (function calling)."))
            .setting(RemoteSettings.apiKey("Sent as 'Authorization: Bearer <key>'."))
            .setting(SettingSpec.string("model", null).asRequired().help("The model name the service expects."))
            .setting(SettingSpec.integer(MAX_STEPS, 8).range(1, 100)
                    .help("Most model calls per run; a run still calling tools after them fails, saying so."))
            .setting(SettingSpec.integer(TOOL_TIMEOUT, 60).range(1, 86_400)
                    .help("Longest one tool call may take; a slower one is cancelled and counts as failed."))
            .setting(SettingSpec.choice(TOOL_ERRORS, TELL_MODEL, TELL_MODEL, "fail_run")
                    .help("tell_model: a failed tool call (an error, a timeout, an unknown tool, arguments that do not "
                            + "match its schema) gives the model the error as the result, so it can recover; fail_run: "
                            + "it fails the run."))
            .setting(SettingSpec.bool("stream", true).help("Ask for each step's answer in pieces as it is generated."))
            .setting(SettingSpec.integer("maxTokens", 1024).range(1, 1_048_576).help("Most tokens per step."))
            .setting(SettingSpec.number("temperature", 1.0).range(0, 2).help("Sampling temperature."))
            .setting(RemoteSettings.CONNECT_TIMEOUT)
            .setting(RemoteSettings.READ_TIMEOUT)
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new AgentNode(context);
    }
}
