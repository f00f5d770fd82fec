package dev.flowgraph.core.chat;

import java.util.List;
import java.util.Optional;

/**
 * What a run asks of the flow: a conversation (the last message usually from the user) and the generation
 * options that override the LLM node's settings for this run.
 */
public record ChatRequest(List<ChatMessage> messages, GenerationOptions options) {

    public ChatRequest {
        messages = List.copyOf(messages);
        options = options == null ? GenerationOptions.NONE : options;
    }

    public ChatRequest(List<ChatMessage> messages) {
        this(messages, GenerationOptions.NONE);
    }

    public static ChatRequest ofUser(String text) {
        return new ChatRequest(List.of(ChatMessage.user(text)));
    }

    public Optional<ChatMessage> lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return Optional.of(messages.get(i));
            }
        }
        return Optional.empty();
    }

    public ChatRequest withMessages(List<ChatMessage> replaced) {
        return new ChatRequest(replaced, options);
    }

    public ChatRequest withOptions(GenerationOptions replaced) {
        return new ChatRequest(messages, replaced);
    }
}
