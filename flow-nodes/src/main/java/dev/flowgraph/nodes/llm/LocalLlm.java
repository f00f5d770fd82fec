package dev.flowgraph.nodes.llm;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.nodes.structured.GrammarSchema;
import dev.flowgraph.nodes.structured.StructuredSettings;


/** A GGUF model run in-process by llama.cpp, streaming its tokens. */
public final class LocalLlm implements NodeType {
    public static final String TYPE = "llm.local";
    /** The model settings an Agent on a local model declares too. */
    public static final SettingSpec MODEL_PATH = SettingSpec.path("modelPath")
            .help("The GGUF model file. A relative path is looked for in the working directory, then "
                    + "beside the flow file. Put models in the project's models/ folder.");
    public static final SettingSpec CONTEXT_SIZE = SettingSpec.integer("contextSize", 2048).range(16, 1_048_576)
            .help("Context window in tokens (prompt and answer together).");
    public static final SettingSpec THREADS = SettingSpec.integer("threads", null).range(1, 512).orAuto()
            .help("CPU threads for decoding. 'auto' times each candidate count when the model loads "
                    + "and keeps the fastest.");
    static final PortSpec CHAT_IN = PortSpec.required("chat", DataType.CHAT, "The conversation to answer");
    static final PortSpec TEXT_OUT = PortSpec.output("text", DataType.TEXT,
            "The answer, streamed; the end carries token usage");

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Local LLM")
            .category("LLM")
            .description("Runs a GGUF model in-process with llama.cpp and streams its answer token by token. "
                    + "The model loads once when the flow starts.")
            .input(CHAT_IN)
            .output(TEXT_OUT)
            .setting(MODEL_PATH.asRequired())
            .setting(SettingSpec.string("chatTemplate", "auto")
                    .help("How a conversation becomes the prompt: 'auto' uses the model's own chat template when "
                            + "it has one and plain text when not; 'none' always uses plain text; any other value "
                            + "names a llama.cpp built-in template (chatml, llama3, gemma, ...) to use instead."))
            .setting(CONTEXT_SIZE)
            .setting(SettingSpec.integer("parallel", 1).range(1, 64)
                    .help("How many answers are generated together, as llama.cpp parallel sequences sharing one "
                            + "model (pair it with the API element's 'concurrency'). Each answer has its own "
                            + "contextSize; the model's context holds parallel × contextSize."))
            .setting(THREADS)
            .setting(SettingSpec.number("temperature", 0.8).range(0, 5)
                    .help("Sampling temperature; 0 always picks the most likely token."))
            .setting(SettingSpec.number("topP", 0.95).range(0, 1).help("Nucleus sampling: keep the most likely "
                    + "tokens whose probabilities add up to this."))
            .setting(SettingSpec.integer("topK", 40).range(0, 100_000)
                    .help("Keep only the K most likely tokens; 0 keeps all."))
            .setting(SettingSpec.number("repeatPenalty", 1.1).range(0, 10)
                    .help("Penalty for repeating recent tokens; 1 is none."))
            .setting(SettingSpec.integer("maxTokens", 256).range(1, 1_048_576)
                    .help("Most tokens to generate per answer."))
            .setting(SettingSpec.integer("seed", -1).range(-1, 4_294_967_295L)
                    .help("Random seed; -1 picks a new one each time. A fixed seed repeats answers."))
            .setting(SettingSpec.bool("ignoreEos", false)
                    .help("Keep generating past the end-of-text token until maxTokens (fixed-length answers, "
                            + "for benchmarks and tests)."))
            .setting(SettingSpec.stringList("stop").help("Generation stops before any of these strings."))
            .setting(StructuredSettings.responseFormat("The model is held to it while it generates (a llama.cpp "
                    + "grammar made from the schema)."))
            .setting(StructuredSettings.jsonSchema())
            .ports("a json output when responseFormat asks for JSON", LocalLlm::ports)
            .check((settings, scope) -> StructuredSettings.problems(settings, GrammarSchema::problem))
            .build();

    private static NodePorts ports(NodeSettings settings, PortScope scope) {
        return StructuredSettings.ports(settings, CHAT_IN, TEXT_OUT);
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new LocalLlmNode(context);
    }
}
