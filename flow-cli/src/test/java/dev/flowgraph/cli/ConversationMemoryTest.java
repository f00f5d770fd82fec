package dev.flowgraph.cli;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.TokenCounter;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.store.JdbcStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Conversation memory's window, in-process on the real model and a real SQLite store. */
class ConversationMemoryTest {
    @TempDir
    Path dir;

    @Test
    void theTokenBudgetIsCountedWithTheFlowsModelAndKeepsTheLatestMessages() throws Exception {
        FlowDocument flow = FlowFiles.load(TestModels.projectRoot().resolve("examples/chat-memory-api.flow.json"))
                .withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "maxTokens", 4)
                .withSetting("memory", "maxTokens", 60);
        try (Store store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("memory.db"));
             FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                     RuntimeOptions.inProcess(dir).withEnvironment(Map.of("FLOW_API_KEY", "Key1")::get).withStore(store))) {
            List<ChatMessage> stored = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                // Words the tokenizer splits finely: a count of characters / 4 would keep more of them.
                stored.add(ChatMessage.user("Zyx" + i + " qwv plk " + i));
                stored.add(ChatMessage.assistant("Ok " + i));
            }
            store.conversations().append("chat-memory-api", "budget", stored).get(5, TimeUnit.SECONDS);
            TokenCounter model = runtime.behaviorOf("llm", TokenCounter.class);
            int kept = 0;
            for (int used = 0, i = stored.size() - 1; i >= 0; i--, kept++) {
                used += model.countTokens(stored.get(i).content());
                if (used > 60) {
                    break;
                }
            }
            int byCharacters = 0;
            for (int used = 0, i = stored.size() - 1; i >= 0; i--, byCharacters++) {
                used += (stored.get(i).content().length() + 3) / 4;
                if (used > 60) {
                    break;
                }
            }
            assertThat(kept).as("the test's text tells the two counts apart").isNotEqualTo(byCharacters).isPositive();

            Run run = ask(runtime, new ChatRequest(List.of(ChatMessage.user("Once upon a time")), null, "budget"));
            assertThat(run.trace().node("memory").orElseThrow().notes()).containsEntry("remembered", kept + " messages");
            assertThat(run.trace().node("llm").orElseThrow().tokensIn()).as("the prompt holds the kept messages")
                    .isGreaterThan(kept);

            Run stateless = ask(runtime, ChatRequest.ofUser("Once upon a time"));
            assertThat(stateless.trace().node("memory").orElseThrow().notes()).doesNotContainKey("remembered");
            assertThat(store.conversations().find("chat-memory-api", "budget").orElseThrow().messages())
                    .as("the answered turn is stored after the 24 before it").hasSize(26);
        }
    }

    private static Run ask(FlowRuntime runtime, ChatRequest request) throws Exception {
        CompletableFuture<Packet> end = new CompletableFuture<>();
        Run run = runtime.entry().submit(request, p -> {
            if (p.isTerminal()) {
                end.complete(p);
            }
        });
        assertThat(end.get(30, TimeUnit.SECONDS)).isInstanceOf(Packet.End.class);
        run.finishWork().get(5, TimeUnit.SECONDS);
        return run;
    }
}
