package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.nodes.structured.StructuredSettings;

/**
 * A remote chat model behind an OpenAI-compatible {@code /chat/completions} (OpenAI, LlamaEdge, another Flowgraph
 * flow's API element, or a serverless endpoint that wraps its answers), streamed into the flow like the Local LLM.
 */
public final class OpenAiChat implements NodeType {
    public static final String TYPE = "llm.openai";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "OpenAI-compatible chat")
            .category("Remote LLM")
            .description("Calls POST {baseUrl}/chat/completions of an OpenAI-compatible service and streams its "
                    + "answer. Reads both the standard answer and the serverless variant wrapped in "
                    + "{\"code\",\"msg\",\"data\"}.")
            .input(RemoteSettings.CHAT)
            .output(RemoteSettings.TEXT)
            .setting(RemoteSettings.baseUrl(null, "Where the service lives, up to and without /chat/completions, e.g. "
                    + "http://localhost:8080/v1 or http://host:18081/api/v1/ai."))
            .setting(RemoteSettings.apiKey("Sent as 'Authorization: Bearer <key>'; leave empty for services without keys."))
            .setting(SettingSpec.string("model", null).asRequired().help("The model name the service expects."))
            .setting(SettingSpec.choice("dialect", "openai", "openai", "serverless")
                    .help("Request field names: 'openai' sends max_tokens and top_p; 'serverless' sends maxTokens "
                            + "and topP. Wrapped answers are recognised either way."))
            .setting(SettingSpec.bool("stream", true).help("Ask for the answer in pieces as it is generated."))
            .setting(SettingSpec.integer("maxTokens", 1024).range(1, 1_048_576)
                    .help("Most tokens to generate per answer."))
            .setting(SettingSpec.number("temperature", 1.0).range(0, 2)
                    .help("Sampling temperature (the service's default is 1)."))
            .setting(SettingSpec.number("topP", 1.0).range(0, 1).help("Nucleus sampling (default 1)."))
            .setting(SettingSpec.number("presencePenalty", 0.0).range(-2, 2)
                    .help("Penalises tokens already present (default 0)."))
            .setting(SettingSpec.number("frequencyPenalty", 0.0).range(-2, 2)
                    .help("Penalises frequent tokens (default 0)."))
            .setting(StructuredSettings.responseFormat("It is sent as the request's response_format."))
            .setting(StructuredSettings.jsonSchema())
            .setting(RemoteSettings.CONNECT_TIMEOUT)
            .setting(RemoteSettings.READ_TIMEOUT)
            .ports("a json output when responseFormat asks for JSON",
                    (settings, scope) -> StructuredSettings.ports(settings, RemoteSettings.CHAT, RemoteSettings.TEXT))
            .check((settings, scope) -> StructuredSettings.problems(settings))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new OpenAiChatNode(context);
    }
}
