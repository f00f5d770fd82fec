package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.GenerationOptions;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.flowgraph.nodes.remote.LoopbackService.json;
import static dev.flowgraph.nodes.remote.LoopbackService.startStream;
import static dev.flowgraph.nodes.remote.LoopbackService.write;
import static dev.flowgraph.nodes.remote.RemoteFlows.ask;
import static dev.flowgraph.nodes.remote.RemoteFlows.end;
import static dev.flowgraph.nodes.remote.RemoteFlows.failure;
import static dev.flowgraph.nodes.remote.RemoteFlows.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LocalLab node against a loopback server speaking LocalLab's documented format: token events ending with
 * {@code data: [DONE]}, {@code {"response"}} and {@code {"choices"}} bodies, {@code {"detail"}} errors, and 429.
 */
class LocalLabContractTest {
    private final LoopbackService service = new LoopbackService();

    LocalLabContractTest() throws IOException {
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private FlowRuntime flow(Map<String, Object> settings) throws Exception {
        Map<String, Object> s = new HashMap<>(Map.of("baseUrl", service.url("")));
        s.putAll(settings);
        return RemoteFlows.start(new LocalLab(), s);
    }

    private static void stream(OutputStream out, String... tokens) throws IOException {
        for (String token : tokens) {
            write(out, "data: " + token + "\n\n");
        }
    }

    @Test
    void chatStreamsEachTokenUntilDoneAndSendsEveryQualityDefault() throws Exception {
        service.serve("/chat", exchange -> stream(startStream(exchange), "Once", " upon", " a time", "[DONE]"));
        try (FlowRuntime runtime = flow(Map.of())) {
            List<Packet> packets = ask(runtime, "Tell me a story");
            assertThat(packets.stream().filter(p -> p instanceof Packet.Delta)).hasSize(3);
            assertThat(text(packets)).isEqualTo("Once upon a time");
            assertThat(end(packets).finishReason()).isEqualTo(Packet.End.STOP);
        }
        LoopbackService.Received request = service.last();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/chat");
        assertThat(request.authorization()).isNull();
        JsonNode body = request.body();
        assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("Tell me a story");
        assertThat(body.path("model_id").isNull()).isTrue();
        assertThat(body.path("stream").asBoolean()).isTrue();
        // With no quality setting in the flow, the request carries the defaults docs/nodes.md documents for the
        // node, and those are LocalLab's own documented defaults (its API's "Response Quality Parameters").
        Map<String, String> documented = NodeReference.defaults("llm.locallab");
        Map<String, String> settingToField = Map.of("maxLength", "max_length", "temperature", "temperature",
                "topP", "top_p", "topK", "top_k", "repetitionPenalty", "repetition_penalty", "doSample", "do_sample");
        settingToField.forEach((setting, field) -> NodeReference.assertDocumentedDefault(documented, setting, body, field));
        assertThat(Map.of("max_length", body.path("max_length").asText(), "temperature", body.path("temperature").asText(),
                "top_p", body.path("top_p").asText(), "top_k", body.path("top_k").asText(),
                "repetition_penalty", body.path("repetition_penalty").asText(), "do_sample", body.path("do_sample").asText()))
                .as("LocalLab's documented defaults").isEqualTo(Map.of("max_length", "8192", "temperature", "0.7",
                        "top_p", "0.9", "top_k", "80", "repetition_penalty", "1.15", "do_sample", "true"));
    }

    @Test
    void generateSendsTheConversationAsOnePromptAndReadsTheResponseBody() throws Exception {
        service.serve("/generate", exchange -> json(exchange, 200, "{\"response\":\"Qubits can be 0 and 1 at once.\","
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21}}"));
        Map<String, Object> settings = Map.of("endpoint", "generate", "stream", false, "modelId", "microsoft/phi-2",
                "temperature", 0.3, "topK", 40, "doSample", false, "apiKey", "LabKey7");
        try (FlowRuntime runtime = flow(settings)) {
            ChatRequest request = new ChatRequest(List.of(ChatMessage.system("Be brief."),
                    ChatMessage.user("Explain quantum computing in simple terms")),
                    new GenerationOptions(50, null, null, null, null, null, null));
            List<Packet> packets = RemoteFlows.submit(runtime, request).await();
            assertThat(text(packets)).isEqualTo("Qubits can be 0 and 1 at once.");
            assertThat(end(packets).usage().completionTokens()).isEqualTo(9);
            assertThat(end(packets).run().trace().node(RemoteFlows.NODE).orElseThrow().tokensIn()).isEqualTo(12);
        }
        LoopbackService.Received request = service.last();
        assertThat(request.path()).isEqualTo("/generate");
        assertThat(request.authorization()).isEqualTo("Bearer LabKey7");
        JsonNode body = request.body();
        assertThat(body.path("prompt").asText()).isEqualTo("Be brief.\n\nExplain quantum computing in simple terms");
        assertThat(body.has("messages")).isFalse();
        assertThat(body.path("model_id").asText()).isEqualTo("microsoft/phi-2");
        assertThat(body.path("stream").asBoolean()).isFalse();
        assertThat(body.path("max_length").asInt()).as("the request's own max tokens win").isEqualTo(50);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("top_k").asInt()).isEqualTo(40);
        assertThat(body.path("do_sample").asBoolean()).isFalse();
    }

    @Test
    void chatBodyWithChoicesAndLengthFinish() throws Exception {
        service.serve("/chat", exchange -> json(exchange, 200, "{\"choices\":[{\"message\":{\"role\":\"assistant\","
                + "\"content\":\"I am fine, thank you.\"},\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":6,\"total_tokens\":26}}"));
        try (FlowRuntime runtime = flow(Map.of("stream", false))) {
            List<Packet> packets = ask(runtime, "Hello, how are you?");
            assertThat(text(packets)).isEqualTo("I am fine, thank you.");
            assertThat(end(packets).finishReason()).isEqualTo(Packet.End.LENGTH);
            assertThat(end(packets).usage().promptTokens()).isEqualTo(20);
        }
    }

    @Test
    void anEventOfSeveralDataLinesIsOneTokenWithItsLineBreaks() throws Exception {
        service.serve("/chat", exchange -> {
            OutputStream out = startStream(exchange);
            write(out, "data: The end.\ndata: \ndata: Moral:\n\n");
            write(out, ": keep-alive comment\n\n");
            write(out, "data:  be kind.\n\ndata: [DONE]\n\n");
        });
        try (FlowRuntime runtime = flow(Map.of())) {
            assertThat(text(ask(runtime, "story"))).isEqualTo("The end.\n\nMoral: be kind.");
        }
    }

    @Test
    void detailErrorsBecomeRunErrorsWithTheirMessage() throws Exception {
        AtomicInteger mode = new AtomicInteger();
        service.serve("/chat", exchange -> {
            switch (mode.get()) {
                case 0 -> json(exchange, 413, "{\"detail\":\"Input too long\"}");
                case 1 -> json(exchange, 500, "{\"detail\":\"Model error: CUDA out of memory\"}");
                case 2 -> json(exchange, 200, "{\"unexpected\":true}");
                default -> {
                    OutputStream out = startStream(exchange);
                    stream(out, "Once", "{\"detail\":\"Generation failed\"}");
                }
            }
        });
        try (FlowRuntime runtime = flow(Map.of())) {
            Packet.Failure tooLong = failure(ask(runtime, "x".repeat(100)));
            assertThat(tooLong.message()).contains("LocalLab at " + service.url("")).contains("HTTP 413")
                    .contains("Input too long");
            assertThat(tooLong.nodeId()).isEqualTo(RemoteFlows.NODE);

            mode.set(1);
            assertThat(failure(ask(runtime, "hi")).message()).contains("HTTP 500").contains("CUDA out of memory");

            mode.set(2);
            assertThat(failure(ask(runtime, "hi")).message()).contains("neither a response nor a message");

            mode.set(3);
            List<Packet> midStream = ask(runtime, "hi");
            assertThat(text(midStream)).isEqualTo("Once");
            assertThat(failure(midStream).message()).contains("in the middle of its answer").contains("Generation failed");
        }
    }

    @Test
    void aStreamThatStopsWithoutDoneIsReportedAsCutShort() throws Exception {
        service.serve("/chat", exchange -> stream(startStream(exchange), "Once", " upon"));
        try (FlowRuntime runtime = flow(Map.of())) {
            List<Packet> packets = ask(runtime, "story");
            assertThat(text(packets)).isEqualTo("Once upon");
            assertThat(failure(packets).message()).contains("without 'data: [DONE]'");
        }
    }

    @Test
    void rateLimitIsRetriedWithBackoffThenAnswered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        service.serve("/chat", exchange -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                exchange.getResponseHeaders().set("Retry-After", "0");
                json(exchange, 429, "{\"detail\":\"Rate limit exceeded\"}");
            } else if (n == 2) {
                json(exchange, 429, "{\"detail\":\"Rate limit exceeded\"}"); // no Retry-After: our own backoff
            } else {
                stream(startStream(exchange), "Fine", "[DONE]");
            }
        });
        try (FlowRuntime runtime = flow(Map.of())) {
            long start = System.nanoTime();
            List<Packet> packets = ask(runtime, "hi");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(text(packets)).isEqualTo("Fine");
            assertThat(end(packets).finishReason()).isEqualTo(Packet.End.STOP);
            assertThat(calls.get()).isEqualTo(3);
            assertThat(tookMillis).as("waited out the second 429's backoff").isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void rateLimitThatOutlastsTheRetriesFailsWithLocalLabsDetail() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        service.serve("/chat", exchange -> {
            calls.incrementAndGet();
            exchange.getResponseHeaders().set("Retry-After", "0");
            json(exchange, 429, "{\"detail\":\"Rate limit exceeded: 60 per minute\"}");
        });
        try (FlowRuntime runtime = flow(Map.of("retries", 2))) {
            assertThat(failure(ask(runtime, "hi")).message()).contains("HTTP 429")
                    .contains("Rate limit exceeded: 60 per minute").contains("after 2 retries");
            assertThat(calls.get()).isEqualTo(3);
        }
    }

    @Test
    void cancellingDuringARateLimitWaitStopsAtOnceWithoutRetrying() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch limited = new CountDownLatch(1);
        service.serve("/chat", exchange -> {
            calls.incrementAndGet();
            exchange.getResponseHeaders().set("Retry-After", "30");
            json(exchange, 429, "{\"detail\":\"Rate limit exceeded\"}");
            limited.countDown();
        });
        try (FlowRuntime runtime = flow(Map.of())) {
            RemoteFlows.Answer answer = RemoteFlows.submit(runtime, ChatRequest.ofUser("hi"));
            assertThat(limited.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // let the node start waiting out the 30 s
            long cancelledAt = System.nanoTime();
            answer.run().cancel("client went away");
            assertThat(end(answer.await()).finishReason()).isEqualTo(Packet.End.CANCELLED);
            // Generous on purpose (a loaded machine); without the cancel the node would wait out the 30 s.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt)).isLessThan(5000);
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void cancellingTheRunClosesTheStreamingConnection() throws Exception {
        CompletableFuture<Void> serverSawClose = new CompletableFuture<>();
        CountDownLatch firstToken = new CountDownLatch(1);
        service.serve("/chat", exchange -> {
            OutputStream out = startStream(exchange);
            try {
                for (int i = 0; i < 200; i++) {
                    stream(out, " w" + i);
                    firstToken.countDown();
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                serverSawClose.complete(null);
            }
        });
        try (FlowRuntime runtime = flow(Map.of())) {
            RemoteFlows.Answer answer = RemoteFlows.submit(runtime, ChatRequest.ofUser("go"));
            assertThat(firstToken.await(10, TimeUnit.SECONDS)).isTrue();
            answer.run().cancel("client went away");
            serverSawClose.get(5, TimeUnit.SECONDS);
            assertThat(end(answer.await()).finishReason()).isEqualTo(Packet.End.CANCELLED);
            assertThat(answer.deltas()).isLessThan(200);
        }
    }
}
