package dev.flowgraph.nodes.agent;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.nodes.llm.LocalLlm;
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
    static final String PROVIDER = "provider";
    static final String OPENAI = "openai";
    static final String LOCAL = "local";
    static final String TOOL_CHOICE = "toolChoice";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Agent")
            .category("LLM")
            .description("A chat model that may call tools until it can answer: each step sends the conversation and "
                    + "the tools' descriptions to the model; the tools it asks for run (several at the same time) and "
                    + "their results go back to it; its final answer streams on. Every step and tool call is in the "
                    + "run's trace.")
            .input(CHAT)
            .input(TOOLS)
            .output(TEXT)
            .setting(SettingSpec.choice(PROVIDER, OPENAI, OPENAI, LOCAL).help("openai: an OpenAI-compatible service "
                    + "with tools (baseUrl, model, apiKey); local: a GGUF model run in-process (modelPath), each step "
                    + "generated under a grammar made from the tools' schemas, so it always calls an existing tool "
                    + "with valid arguments or answers."))
            .setting(SettingSpec.string("baseUrl", "").matching("(https?://\\S+|\\$\\{env:[A-Za-z_][A-Za-z0-9_]*})?")
                    .help("For openai: the service, up to and without /chat/completions, e.g. "
                            + "https://api.openai.com/v1. It must support tools (function calling)."))
            .setting(RemoteSettings.apiKey("For openai: sent as 'Authorization: Bearer <key>'."))
            .setting(SettingSpec.string("model", "").help("For openai: the model name the service expects."))
            .setting(LocalLlm.MODEL_PATH)
            .setting(LocalLlm.CONTEXT_SIZE)
            .setting(LocalLlm.THREADS)
            .setting(SettingSpec.choice(TOOL_CHOICE, "auto", "auto", "required").help("auto: the model calls tools or "
                    + "answers as it sees fit; required: its first step must call a tool."))
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
            .check((settings, scope) -> problems(settings))
            .build();

    private static java.util.List<dev.flowgraph.core.node.SettingProblem> problems(dev.flowgraph.core.node.NodeSettings s) {
        java.util.List<dev.flowgraph.core.node.SettingProblem> problems = new java.util.ArrayList<>();
        if (s.string(PROVIDER).equals(LOCAL)) {
            if (s.string("modelPath").isBlank()) {
                problems.add(new dev.flowgraph.core.node.SettingProblem("modelPath", "is required for provider local"));
            }
        } else {
            for (String name : java.util.List.of("baseUrl", "model")) {
                if (s.string(name).isBlank()) {
                    problems.add(new dev.flowgraph.core.node.SettingProblem(name, "is required for provider openai"));
                }
            }
        }
        return problems;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new AgentNode(context);
    }
}
