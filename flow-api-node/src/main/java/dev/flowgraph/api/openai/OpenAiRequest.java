package dev.flowgraph.api.openai;

import dev.flowgraph.core.chat.ChatRequest;

/** A chat-completions request as the flow sees it, and how the client wants the answer. */
record OpenAiRequest(ChatRequest chat, String model, boolean stream, boolean includeUsage) {
}
