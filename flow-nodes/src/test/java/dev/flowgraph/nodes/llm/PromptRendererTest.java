package dev.flowgraph.nodes.llm;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PromptRendererTest {

    @Test
    void aLoneUserMessageIsContinuedAsItIs() {
        assertThat(PromptRenderer.plainText().render(ChatRequest.ofUser("Once upon a time,")))
                .isEqualTo("Once upon a time,");
    }

    @Test
    void aConversationBecomesATranscriptEndingAtTheAssistantsTurn() {
        ChatRequest chat = new ChatRequest(List.of(ChatMessage.system("Be kind."), ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello!"), ChatMessage.user("A story?")));
        assertThat(PromptRenderer.plainText().render(chat))
                .isEqualTo("System: Be kind.\nUser: Hi\nAssistant: Hello!\nUser: A story?\nAssistant:");
    }

    @Test
    void theTestModelHasNoChatTemplate() throws Exception {
        GgufMetadata meta = GgufMetadata.read(TestModels.stories());
        assertThat(meta.string("general.architecture")).isEqualTo("llama");
        assertThat(meta.hasChatTemplate()).isFalse();
    }
}
