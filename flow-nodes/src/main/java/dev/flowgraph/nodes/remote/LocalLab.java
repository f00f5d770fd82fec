package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.SettingSpec;

/** A model served by LocalLab ({@code /chat} or {@code /generate}), streamed into the flow like the Local LLM. */
public final class LocalLab implements NodeType {
    public static final String TYPE = "llm.locallab";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "LocalLab")
            .category("Remote LLM")
            .description("Calls a LocalLab server's POST /chat (the conversation as messages) or POST /generate "
                    + "(the conversation as one prompt) and streams its answer. Errors carry LocalLab's own "
                    + "'detail'; a rate limit (HTTP 429) is waited out and retried.")
            .input(RemoteSettings.CHAT)
            .output(RemoteSettings.TEXT)
            .setting(RemoteSettings.baseUrl("http://localhost:8000",
                    "The LocalLab server, e.g. http://localhost:8000 or its ngrok URL."))
            .setting(RemoteSettings.apiKey("Sent as 'Authorization: Bearer <key>' when set (a proxy in front of "
                    + "LocalLab may ask for one); LocalLab itself needs none."))
            .setting(SettingSpec.choice("endpoint", "chat", "chat", "generate")
                    .help("'chat' sends the messages to /chat; 'generate' sends them as one prompt to /generate."))
            .setting(SettingSpec.string("modelId", "")
                    .help("The model to answer with; empty for the model the server has loaded."))
            .setting(SettingSpec.bool("stream", true).help("Ask for the answer in pieces as it is generated."))
            .setting(SettingSpec.integer("maxLength", 8192).range(1, 1_048_576)
                    .help("Most tokens in the answer (max_length, LocalLab's default 8192)."))
            .setting(SettingSpec.number("temperature", 0.7).range(0, 2)
                    .help("Randomness: higher is more creative, lower more focused (default 0.7)."))
            .setting(SettingSpec.number("topP", 0.9).range(0, 1).help("Nucleus sampling (top_p, default 0.9)."))
            .setting(SettingSpec.integer("topK", 80).range(0, 100_000)
                    .help("Sample only from the K likeliest tokens (top_k, default 80)."))
            .setting(SettingSpec.number("repetitionPenalty", 1.15).range(0, 10)
                    .help("Above 1 discourages repeating itself (repetition_penalty, default 1.15)."))
            .setting(SettingSpec.bool("doSample", true)
                    .help("Sample (do_sample, default on); off means greedy decoding."))
            .setting(SettingSpec.integer("retries", 3).range(0, 20)
                    .help("How often to retry when LocalLab answers 429 (rate limited), waiting as its Retry-After "
                            + "says or 0.5 s, 1 s, 2 s… in between."))
            .setting(RemoteSettings.CONNECT_TIMEOUT)
            .setting(RemoteSettings.READ_TIMEOUT)
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new LocalLabNode(context);
    }
}
