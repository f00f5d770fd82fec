package dev.flowgraph.nodes.llm;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.Pair;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.Role;

import java.util.ArrayList;
import java.util.List;

/** Turns a conversation into the model's prompt text. */
interface PromptRenderer {

    String render(ChatRequest request);

    /** For a model that has a chat template: llama.cpp applies it. */
    static PromptRenderer chatTemplate(LlamaModel model) {
        return request -> {
            StringBuilder system = new StringBuilder();
            List<Pair<String, String>> turns = new ArrayList<>();
            for (ChatMessage m : request.messages()) {
                if (m.role() == Role.SYSTEM) {
                    system.append(system.length() == 0 ? "" : "\n").append(m.content());
                } else {
                    turns.add(new Pair<>(m.role().wireName(), m.content()));
                }
            }
            return model.applyTemplate(new InferenceParameters("")
                    .setMessages(system.length() == 0 ? null : system.toString(), turns));
        };
    }

    /**
     * For a model without a template (a plain completion model such as the test model): a lone user message is
     * the prompt as it is, so "Once upon a time," is continued; a longer conversation becomes a transcript that
     * ends where the assistant's next turn begins.
     */
    static PromptRenderer plainText() {
        return request -> {
            List<ChatMessage> messages = request.messages();
            if (messages.size() == 1 && messages.get(0).role() == Role.USER) {
                return messages.get(0).content();
            }
            StringBuilder text = new StringBuilder();
            for (ChatMessage m : messages) {
                text.append(label(m.role())).append(": ").append(m.content()).append('\n');
            }
            return text.append(label(Role.ASSISTANT)).append(':').toString();
        };
    }

    private static String label(Role role) {
        return switch (role) {
            case SYSTEM -> "System";
            case USER -> "User";
            case ASSISTANT -> "Assistant";
        };
    }
}
