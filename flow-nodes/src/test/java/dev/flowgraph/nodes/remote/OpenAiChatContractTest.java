package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.flowgraph.nodes.remote.LoopbackService.send;
import static dev.flowgraph.nodes.remote.LoopbackService.startStream;
import static dev.flowgraph.nodes.remote.LoopbackService.write;
import static dev.flowgraph.nodes.remote.RemoteFlows.ask;
import static dev.flowgraph.nodes.remote.RemoteFlows.end;
import static dev.flowgraph.nodes.remote.RemoteFlows.failure;
import static dev.flowgraph.nodes.remote.RemoteFlows.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAI-compatible node against small loopback servers that speak the documented wire formats: LlamaEdge's
 * standard stream, the serverless variant's {@code event:messages} stream and wrapped body, and failures.
 */
class OpenAiChatContractTest {
    private final LoopbackService service = new LoopbackService();

    OpenAiChatContractTest() throws IOException {
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private String baseUrl() {
        return service.url("/v1");
    }

    private void serve(LoopbackService.Handler handler) {
        service.serve("/v1/chat/completions", handler);
    }

    private FlowRuntime flow(Map<String, Object> settings) throws Exception {
        return flow(settings, "text");
    }

    private FlowRuntime flow(Map<String, Object> settings, String output) throws Exception {
        Map<String, Object> s = new HashMap<>(Map.of("baseUrl", baseUrl(), "model", "test-model",
                "apiKey", "SecretKey99"));
        s.putAll(settings);
        return RemoteFlows.start(new OpenAiChat(), s, output);
    }

    private static final String MOOD = "{\"type\":\"object\",\"properties\":{\"mood\":{\"enum\":[\"happy\",\"sad\"]}},"
            + "\"required\":[\"mood\"]}";

    private void answerWhole(String content) {
        serve(exchange -> LoopbackService.json(exchange, 200, "{\"id\":\"c1\",\"object\":\"chat.completion\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + com.fasterxml.jackson.databind.node.TextNode.valueOf(content) + "},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}}"));
    }

    @Test
    void aJsonSchemaIsSentAsResponseFormatAndTheCheckedValueGoesOnTheJsonOutput() throws Exception {
        answerWhole("{\"mood\": \"happy\"}");
        try (FlowRuntime runtime = flow(Map.of("stream", false, "responseFormat", "json_schema", "jsonSchema", MOOD),
                "json")) {
            List<Packet> packets = ask(runtime, "How do you feel?");
            JsonNode format = service.last().body().path("response_format");
            assertThat(format.path("type").asText()).isEqualTo("json_schema");
            assertThat(format.path("json_schema").path("schema").toString()).isEqualTo(MOOD);
            assertThat(packets.get(0)).isInstanceOf(Packet.Delta.class);
            assertThat(((JsonNode) ((Packet.Delta) packets.get(0)).value()).path("mood").asText()).isEqualTo("happy");
            assertThat(end(packets)).isNotNull();
        }
    }

    @Test
    void anAnswerThatDoesNotMatchTheSchemaFailsTheRunSayingWhere() throws Exception {
        answerWhole("{\"mood\": \"angry\"}");
        try (FlowRuntime runtime = flow(Map.of("stream", false, "responseFormat", "json_schema", "jsonSchema", MOOD))) {
            Packet.Failure failure = failure(ask(runtime, "How do you feel?"));
            assertThat(failure.message()).contains("does not match the schema", "/properties/mood/enum");
        }
    }

    @Test
    void anAnswerThatIsNotJsonFailsTheRun() throws Exception {
        answerWhole("not json at all");
        try (FlowRuntime runtime = flow(Map.of("stream", false, "responseFormat", "json_object"))) {
            assertThat(failure(ask(runtime, "Hi")).message()).contains("not JSON");
            assertThat(service.last().body().path("response_format").path("type").asText()).isEqualTo("json_object");
        }
    }

    @Test
    void cancellingBeforeTheServiceAnswersEndsTheRunAtOnceAndTheNodeServesTheNextRun() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        serve(exchange -> {
            if (calls.incrementAndGet() == 1) {
                received.countDown();
                release.await(30, TimeUnit.SECONDS); // a service slow to start its answer
            }
            LoopbackService.json(exchange, 200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"Hello.\"},\"finish_reason\":\"stop\"}]}");
        });
        try (FlowRuntime runtime = flow(Map.of("stream", false))) {
            RemoteFlows.Answer answer = RemoteFlows.submit(runtime, ChatRequest.ofUser("hi"));
            assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
            long cancelledAt = System.nanoTime();
            answer.run().cancel("client went away");
            assertThat(end(answer.await()).finishReason()).isEqualTo(Packet.End.CANCELLED);
            // Generous on purpose (a loaded machine); without the cancel the run would wait for the service's 30 s.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt)).isLessThan(5000);
            release.countDown();
            assertThat(text(ask(runtime, "hi again"))).isEqualTo("Hello.");
        } finally {
            release.countDown();
        }
    }

    @Test
    void standardStreamWithDataSpaceAndDoneStreamsEachPiece() throws Exception {
        serve(exchange -> {
            OutputStream out = startStream(exchange);
            for (String piece : List.of("I", " am", " a", " bot.")) {
                write(out, "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                        + "\"content\":\"" + piece + "\"},\"logprobs\":null,\"finish_reason\":null}],"
                        + "\"object\":\"chat.completion.chunk\"}\n\n");
            }
            write(out, "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            // The usage chunk that stream_options.include_usage asks for: no choices.
            write(out, "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":5,"
                    + "\"total_tokens\":14}}\n\n");
            write(out, "data: [DONE]\n\n");
        });
        try (FlowRuntime runtime = flow(Map.of("temperature", 0.3))) {
            List<Packet> packets = ask(runtime, "Who are you?");
            assertThat(packets.stream().filter(p -> p instanceof Packet.Delta)).hasSize(4);
            assertThat(text(packets)).isEqualTo("I am a bot.");
            assertThat(end(packets).finishReason()).isEqualTo(Packet.End.STOP);
            assertThat(end(packets).usage()).isEqualTo(new Usage(9, 5));
            assertThat(end(packets).run().trace().node("remote").orElseThrow().tokensOut()).isEqualTo(5);
        }
        JsonNode body = service.last().body();
        assertThat(body.path("model").asText()).isEqualTo("test-model");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("Who are you?");
        // Settings the flow leaves out go on the wire as docs/nodes.md documents their defaults.
        Map<String, String> documented = NodeReference.defaults("llm.openai");
        NodeReference.assertDocumentedDefault(documented, "maxTokens", body, "max_tokens");
        NodeReference.assertDocumentedDefault(documented, "topP", body, "top_p");
        NodeReference.assertDocumentedDefault(documented, "presencePenalty", body, "presence_penalty");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(service.last().authorization()).isEqualTo("Bearer SecretKey99");
    }

    @Test
    void serverlessStreamOfEventMessagesWithoutSpacesAndCamelCaseRequest() throws Exception {
        serve(exchange -> {
            OutputStream out = startStream(exchange);
            write(out, "event:messages\ndata:{\"id\":\"chat-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],"
                    + "\"usage\":{\"prompt_tokens\":16,\"total_tokens\":16,\"completion_tokens\":0}}\n\n");
            write(out, "event:messages\ndata:{\"id\":\"chat-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
                    + "\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":16,\"total_tokens\":17,\"completion_tokens\":1}}\n\n");
            write(out, "event:messages\ndata:{\"id\":\"chat-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":16,\"total_tokens\":18,\"completion_tokens\":2}}\n\n");
        });
        try (FlowRuntime runtime = flow(Map.of("dialect", "serverless", "maxTokens", 64, "topP", 0.02))) {
            List<Packet> packets = ask(runtime, "hi");
            assertThat(text(packets)).isEqualTo("Hi!");
            assertThat(end(packets).usage().promptTokens()).isEqualTo(16);
            assertThat(end(packets).usage().completionTokens()).isEqualTo(2);
            assertThat(end(packets).run().trace().node("remote").orElseThrow().tokensIn()).isEqualTo(16);
        }
        JsonNode body = service.last().body();
        assertThat(body.path("maxTokens").asInt()).isEqualTo(64);
        assertThat(body.path("topP").asDouble()).isEqualTo(0.02);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("top_p")).isFalse();
        assertThat(body.has("stream_options")).isFalse();
    }

    @Test
    void serverlessWrappedBodyIsReadWhenNotStreaming() throws Exception {
        serve(exchange -> send(exchange, 200, "application/json", "{\"code\":200,\"msg\":\"Operation successful\","
                + "\"data\":{\"id\":\"chat-4\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi! Nice to meet you.\",\"tool_calls\":[]},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\",\"stop_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":16,\"total_tokens\":41,\"completion_tokens\":25},\"prompt_logprobs\":null}}"));
        try (FlowRuntime runtime = flow(Map.of("stream", false))) {
            List<Packet> packets = ask(runtime, "hi");
            assertThat(text(packets)).isEqualTo("Hi! Nice to meet you.");
            assertThat(end(packets).usage().completionTokens()).isEqualTo(25);
        }
        assertThat(service.last().body().path("stream").asBoolean()).isFalse();
    }

    @Test
    void standardBodyWithLengthFinish() throws Exception {
        serve(exchange -> send(exchange, 200, "application/json", "{\"id\":\"c\",\"object\":\"chat.completion\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Singapore.\"},"
                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":61,\"completion_tokens\":4,\"total_tokens\":65}}"));
        try (FlowRuntime runtime = flow(Map.of("stream", false))) {
            List<Packet> packets = ask(runtime, "capital?");
            assertThat(text(packets)).isEqualTo("Singapore.");
            assertThat(end(packets).finishReason()).isEqualTo(Packet.End.LENGTH);
        }
    }

    @Test
    void httpErrorsWrappedErrorsAndMalformedBodiesFailTheRunNamingServiceAndStatus() throws Exception {
        AtomicReference<String> mode = new AtomicReference<>("401");
        serve(exchange -> {
            switch (mode.get()) {
                case "401" -> send(exchange, 401, "application/json", "{\"error\":{\"message\":\"invalid api key\"}}");
                case "wrapped" -> send(exchange, 200, "application/json", "{\"code\":500,\"msg\":\"model overloaded\",\"data\":null}");
                default -> send(exchange, 200, "application/json", "<html>oops</html>");
            }
        });
        try (FlowRuntime runtime = flow(Map.of("stream", false))) {
            Packet.Failure unauthorized = failure(ask(runtime, "hi"));
            assertThat(unauthorized.message()).contains("chat service at " + baseUrl()).contains("HTTP 401")
                    .contains("invalid api key").doesNotContain("SecretKey99");
            assertThat(unauthorized.nodeId()).isEqualTo("remote");

            mode.set("wrapped");
            assertThat(failure(ask(runtime, "hi")).message()).contains("code 500").contains("model overloaded");

            mode.set("html");
            assertThat(failure(ask(runtime, "hi")).message()).contains("not JSON").contains("<html>oops");
        }
    }

    @Test
    void aRefusedConnectionFailsTheRunClearly() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (FlowRuntime runtime = flow(Map.of("baseUrl", "http://127.0.0.1:" + closedPort + "/v1"))) {
            assertThat(failure(ask(runtime, "hi")).message())
                    .contains("chat service at http://127.0.0.1:" + closedPort + "/v1").contains("refused");
        }
    }

    @Test
    void aServiceThatGoesQuietMidStreamTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        serve(exchange -> {
            OutputStream out = startStream(exchange);
            write(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once\"}}]}\n\n");
            release.await(20, TimeUnit.SECONDS);
        });
        try (FlowRuntime runtime = flow(Map.of("readTimeoutSeconds", 1))) {
            List<Packet> packets = ask(runtime, "hi");
            assertThat(text(packets)).isEqualTo("Once");
            assertThat(failure(packets).message()).contains("went quiet for more than 1 s");
        } finally {
            release.countDown();
        }
    }

    @Test
    void cancellingTheRunAbortsTheCallAndTheServiceSeesTheConnectionClose() throws Exception {
        CompletableFuture<Long> serverSawClose = new CompletableFuture<>();
        CountDownLatch firstPiece = new CountDownLatch(1);
        serve(exchange -> {
            OutputStream out = startStream(exchange);
            try {
                for (int i = 0; i < 200; i++) {
                    write(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + " \"}}]}\n\n");
                    firstPiece.countDown();
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                serverSawClose.complete(System.nanoTime());
            }
        });
        try (FlowRuntime runtime = flow(Map.of())) {
            RemoteFlows.Answer answer = RemoteFlows.submit(runtime, ChatRequest.ofUser("go"));
            assertThat(firstPiece.await(10, TimeUnit.SECONDS)).isTrue();
            long cancelledAt = System.nanoTime();
            answer.run().cancel("client went away");
            long closedAt = serverSawClose.get(10, TimeUnit.SECONDS);
            // Generous on purpose (a loaded machine); without the cancel the stream would run its 10 s to the end.
            assertThat(TimeUnit.NANOSECONDS.toMillis(closedAt - cancelledAt)).isLessThan(5000);
            assertThat(RemoteFlows.end(answer.await()).finishReason()).isEqualTo(Packet.End.CANCELLED);
            assertThat(answer.deltas()).isLessThan(200);
        }
    }
}
