package dev.flowgraph.nodes.prompt;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Puts retrieved passages, with their sources, into the system prompt of the conversation. */
public final class ContextPrompt implements NodeType {
    public static final String TYPE = "prompt.context";
    static final String PASSAGES = "{{passages}}";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Context prompt")
            .category("Prompt")
            .description("Waits for the conversation and its retrieved passages, writes the passages (with their "
                    + "sources) into a system message placed first, and passes the conversation on to an LLM.")
            .input(PortSpec.required("chat", DataType.CHAT, "The conversation"))
            .input(PortSpec.required("documents", DataType.DOCUMENTS, "The passages for it, best first"))
            .output(PortSpec.output("chat", DataType.CHAT, "The conversation with the passages in its system prompt"))
            .setting(SettingSpec.text("template", "Answer the question from the passages below and name the "
                            + "sources you use. If they do not hold the answer, say so.\n\n" + PASSAGES)
                    .help("The system message; {{passages}} stands for the passages."))
            .setting(SettingSpec.text("passage", "[{{n}}] {{source}}\n{{text}}")
                    .help("How each passage is written: {{n}} (its number), {{source}}, {{score}}, {{text}}."))
            .setting(SettingSpec.text("noPassages", "(No passage matched the question.)")
                    .help("Stands for the passages when none was found."))
            .setting(SettingSpec.integer("maxContextChars", 4000).range(100, 10_000_000)
                    .help("The most characters of passages put in the prompt; passages that would go over are "
                            + "left out (the best come first). Keep it within the model's context."))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Writer writer = new Writer(context.settings().string("template"), context.settings().string("passage"),
                context.settings().string("noPassages"), context.settings().integer("maxContextChars"));
        return new RunJoin(context, (run, request, passages) -> {
            Written written = writer.system(passages);
            run.trace().note(context.nodeId(), "passages", written.passages() + " of " + passages.size() + " ("
                    + written.chars() + " characters)");
            List<ChatMessage> messages = new ArrayList<>(request.messages().size() + 1);
            messages.add(ChatMessage.system(written.system()));
            messages.addAll(request.messages());
            return request.withMessages(messages);
        });
    }

    /** The system message, and how many passages (and characters of them) it holds. */
    record Written(String system, int passages, int chars) {
    }

    /** Writes the system message from the passages. */
    record Writer(String template, String passage, String none, int maxChars) {
        Written system(List<Document> passages) {
            StringBuilder all = new StringBuilder();
            int n = 0;
            for (Document doc : passages) {
                String one = passage.replace("{{n}}", Integer.toString(n + 1))
                        .replace("{{source}}", doc.source())
                        .replace("{{score}}", doc.score().isPresent()
                                ? String.format(Locale.ROOT, "%.3f", doc.score().getAsDouble()) : "")
                        .replace("{{text}}", doc.text().strip());
                if (all.length() + one.length() + 2 > maxChars) {
                    break;
                }
                all.append(n == 0 ? "" : "\n\n").append(one);
                n++;
            }
            return new Written(template.replace(PASSAGES, n == 0 ? none : all.toString()), n, all.length());
        }
    }
}
