package dev.flowgraph.core.chat;

import java.util.List;
import java.util.Optional;

/**
 * What a run asks of the flow: a conversation (the last message usually from the user), the generation
 * options that override the LLM node's settings for this run, and the conversation it continues.
 *
 * @param session the client's session id, whose stored messages a Conversation memory puts before these; null for a
 *                stateless request
 */
public record ChatRequest(List<ChatMessage> messages, GenerationOptions options, String session) {
    /** What a session id may be: 1 to 128 letters, digits, {@code . _ : -}. */
    public static final java.util.regex.Pattern SESSION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public ChatRequest {
        messages = List.copyOf(messages);
        options = options == null ? GenerationOptions.NONE : options;
    }

    public ChatRequest(List<ChatMessage> messages, GenerationOptions options) {
        this(messages, options, null);
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
        return new ChatRequest(replaced, options, session);
    }

    public ChatRequest withOptions(GenerationOptions replaced) {
        return new ChatRequest(messages, replaced, session);
    }

    public ChatRequest withSession(String id) {
        return new ChatRequest(messages, options, id);
    }
}
