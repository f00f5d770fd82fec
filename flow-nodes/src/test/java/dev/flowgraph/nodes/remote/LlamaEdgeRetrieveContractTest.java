package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestFlows;
import dev.flowgraph.core.testing.TestNodes;
import dev.flowgraph.nodes.prompt.ContextPrompt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LlamaEdge retrieve node against a loopback server that answers {@code /v1/retrieve} with the points of
 * LlamaEdge's documentation; the passages go through the context prompt into a stand-in model that echoes its prompt.
 */
class LlamaEdgeRetrieveContractTest {
    /** The documented answer's shape: each source is the passage's text, JSON-quoted inside the string. */
    private static final String POINTS = """
            {"points":[
             {"source":"\\"Paris is located in northern central France, in a north-bending arc of the river Seine.\\\\n\\"","score":0.74011195},
             {"source":"\\"The Paris region is the most active water transport area in France.\\\\n\\"","score":0.63990676}
            ],"limit":5,"score_threshold":0.4}""";

    private final LoopbackService service = service();

    private static LoopbackService service() {
        try {
            return new LoopbackService();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private FlowRuntime start() throws Exception {
        FlowDocument flow = new FlowDocument(FlowDocument.FORMAT, "edge", "", List.of(
                TestFlows.node("alive", "test.keepalive", Map.of()),
                TestFlows.node("entry", "test.entry", Map.of("label", "edge")),
                TestFlows.node("edge", LlamaEdgeRetrieve.TYPE, Map.of("baseUrl", service.url("/v1"),
                        "model", "nomic-embed-text-v1.5.f16", "apiKey", "EdgeKey3")),
                TestFlows.node("context", ContextPrompt.TYPE, Map.of()),
                TestFlows.node("model", "test.transcript", Map.of())),
                List.of(Wire.of("alive.signal", "entry.alive"), Wire.of("entry.out", "edge.chat"),
                        Wire.of("edge.chat", "context.chat"), Wire.of("edge.documents", "context.documents"),
                        Wire.of("context.chat", "model.chat"), Wire.of("model.text", "entry.back")));
        List<NodeType> types = new ArrayList<>(TestNodes.all());
        types.addAll(List.of(new LlamaEdgeRetrieve(), new ContextPrompt()));
        return FlowRuntime.start(flow, NodeRegistry.of(types), RuntimeOptions.inProcess(Path.of(".")));
    }

    @Test
    void sendsTheConversationAndPutsTheReturnedPassagesInThePrompt() throws Exception {
        service.serve("/v1/retrieve", exchange -> LoopbackService.json(exchange, 200, POINTS));
        try (FlowRuntime runtime = start()) {
            RemoteFlows.Answer answer = RemoteFlows.submit(runtime, new ChatRequest(List.of(
                    ChatMessage.system("You are a helpful assistant."), ChatMessage.user("What is the location of Paris?"))));
            String prompt = RemoteFlows.text(answer.await());

            LoopbackService.Received sent = service.last();
            assertThat(sent.path()).isEqualTo("/v1/retrieve");
            assertThat(sent.authorization()).isEqualTo("Bearer EdgeKey3");
            assertThat(sent.body().path("model").asText()).isEqualTo("nomic-embed-text-v1.5.f16");
            assertThat(sent.body().path("messages").toString()).isEqualTo("[{\"role\":\"system\",\"content\":"
                    + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"What is the location of Paris?\"}]");

            // The passages arrive unquoted, numbered, with the server as their source, before the conversation.
            assertThat(prompt).startsWith("system: Answer the question from the passages below")
                    .contains("[1] " + service.url("/v1/retrieve") + "\nParis is located in northern central France,")
                    .contains("[2] " + service.url("/v1/retrieve") + "\nThe Paris region is the most active")
                    .doesNotContain("\\n\"").endsWith("user: What is the location of Paris?\n");
            assertThat(answer.run().trace().node("edge").orElseThrow().notes().get("sources"))
                    .contains("(0.740)", "(0.640)");
        }
    }

    @Test
    void aServerErrorFailsTheRunWithTheServersMessage() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        service.serve("/v1/retrieve", exchange -> {
            if (calls.incrementAndGet() == 1) {
                LoopbackService.json(exchange, 500, "{\"error\":\"Model is not found.\"}");
            } else {
                LoopbackService.json(exchange, 200, POINTS);
            }
        });
        try (FlowRuntime runtime = start()) {
            Packet.Failure failure = RemoteFlows.failure(RemoteFlows.ask(runtime, "Where is Paris?"));
            assertThat(failure.nodeId()).isEqualTo("edge");
            assertThat(failure.message()).contains("LlamaEdge at " + service.url("/v1/retrieve"))
                    .contains("HTTP 500").contains("Model is not found.");
            // The flow is still up: the next question gets its passages.
            assertThat(RemoteFlows.text(RemoteFlows.ask(runtime, "Where is Paris?"))).contains("[2] ");
        }
    }

    @Test
    void aBodyWithoutPointsIsAClearError() throws Exception {
        service.serve("/v1/retrieve", exchange -> LoopbackService.json(exchange, 200, "{\"data\":[]}"));
        try (FlowRuntime runtime = start()) {
            Packet.Failure failure = RemoteFlows.failure(RemoteFlows.ask(runtime, "Where is Paris?"));
            assertThat(failure.message()).contains("sent no 'points' list");
        }
    }
}
