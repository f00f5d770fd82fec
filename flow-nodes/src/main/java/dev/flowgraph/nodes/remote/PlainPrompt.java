package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.Role;

/**
 * A conversation as one prompt string, for services that take text rather than messages (LocalLab's
 * {@code /generate}, GridRepublic's jobs). A plain question stays exactly as written; a conversation with
 * earlier answers is laid out as turns so the model can see who said what.
 */
final class PlainPrompt {
    private PlainPrompt() {
    }

    static String of(ChatRequest request) {
        boolean turns = request.messages().stream().anyMatch(m -> m.role() == Role.ASSISTANT);
        StringBuilder prompt = new StringBuilder();
        for (ChatMessage m : request.messages()) {
            if (!prompt.isEmpty()) {
                prompt.append("\n\n");
            }
            if (turns && m.role() != Role.SYSTEM) {
                prompt.append(m.role() == Role.USER ? "User: " : "Assistant: ");
            }
            prompt.append(m.content());
        }
        if (turns) {
            prompt.append("\n\nAssistant:");
        }
        return prompt.toString();
    }
}
