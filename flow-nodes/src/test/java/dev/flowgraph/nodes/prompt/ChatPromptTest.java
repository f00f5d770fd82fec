package dev.flowgraph.nodes.prompt;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChatPromptTest {

    @Test
    void systemPromptGoesFirstAndTheTemplateWrapsTheLastUserMessage() {
        ChatRequest in = new ChatRequest(List.of(ChatMessage.system("client rules"), ChatMessage.user("first"),
                ChatMessage.assistant("reply"), ChatMessage.user("tell me about cats")));
        ChatRequest out = ChatPrompt.shape(in, "You write short stories.", "Write a story: {{input}}");
        assertThat(out.messages()).containsExactly(
                ChatMessage.system("You write short stories."), ChatMessage.system("client rules"),
                ChatMessage.user("first"), ChatMessage.assistant("reply"),
                ChatMessage.user("Write a story: tell me about cats"));
    }

    @Test
    void defaultsLeaveTheConversationAsItIs() {
        ChatRequest in = ChatRequest.ofUser("Once upon a time,");
        assertThat(ChatPrompt.shape(in, "", "{{input}}")).isEqualTo(in);
    }
}
