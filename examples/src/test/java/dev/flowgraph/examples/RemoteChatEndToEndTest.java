package dev.flowgraph.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No stand-in: flow A (examples/remote-chat) answers through its OpenAI-compatible node, which calls flow B
 * (examples/story-api, the real model) at B's /v1/chat/completions. The answer streams through both flows.
 */
class RemoteChatEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FlowRuntime start(FlowDocument flow, Map<String, String> env) throws Exception {
        return FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.serving(Path.of("").toAbsolutePath()).withEnvironment(env::get));
    }

    private static String url(FlowRuntime runtime) {
        return ((ApiElementNode) runtime.entry()).server().url();
    }

    @Test
    void aStoryStreamsFromTheModelInFlowBThroughFlowA() throws Exception {
        FlowDocument b = FlowFiles.load(Path.of("story-api.flow.json"))
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("llm", "modelPath", TestModels.stories().toString()).withSetting("llm", "threads", 1);
        try (FlowRuntime flowB = start(b, Map.of("FLOW_API_KEY", "KeyForB1"))) {
            LinkedBlockingQueue<Run> bRuns = new LinkedBlockingQueue<>();
            flowB.onRunFinished(bRuns::offer);
            FlowDocument a = FlowFiles.load(Path.of("remote-chat.flow.json"))
                    .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                    .withSetting("remote", "baseUrl", url(flowB) + "/v1");
            try (FlowRuntime flowA = start(a, Map.of("FLOW_API_KEY", "KeyForA2", "REMOTE_API_KEY", "KeyForB1"))) {
                LinkedBlockingQueue<Run> aRuns = new LinkedBlockingQueue<>();
                flowA.onRunFinished(aRuns::offer);
                HttpRequest request = HttpRequest.newBuilder(URI.create(url(flowA) + "/prompt"))
                        .header("Content-Type", "application/json").header("X-API-Key", "KeyForA2")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"message\":[{\"role\":\"user\",\"content\":\"Once upon a time,\"}]}"))
                        .build();
                HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                        .send(request, HttpResponse.BodyHandlers.ofInputStream());
                assertThat(response.statusCode()).isEqualTo(200);

                List<String> pieces = new ArrayList<>();
                JsonNode last = null;
                boolean done = false;
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.equals("data: [DONE]")) {
                            done = true;
                            break;
                        }
                        if (line.startsWith("data: ")) {
                            last = JSON.readTree(line.substring(6));
                            String content = last.path("choices").path(0).path("message").path("content").asText();
                            if (!content.isEmpty()) {
                                pieces.add(content);
                            }
                        }
                    }
                }
                assertThat(done).isTrue();
                assertThat(pieces).as("the story arrives in many pieces").hasSizeGreaterThan(5);
                assertThat(String.join("", pieces).strip()).isNotEmpty();
                assertThat(last.path("choices").path(0).path("finish_reason").asText()).isIn("stop", "length");

                Run bRun = bRuns.poll(10, TimeUnit.SECONDS);
                assertThat(bRun).as("flow B served the call").isNotNull();
                var bTrace = bRun.trace().node("llm").orElseThrow();
                Run aRun = aRuns.poll(10, TimeUnit.SECONDS);
                assertThat(aRun).isNotNull();
                // Flow A asks for usage (stream_options) and B sends it in a last chunk: A records B's real counts,
                // not its own count of pieces (a token without text is no piece).
                var aTrace = aRun.trace().node("remote").orElseThrow();
                assertThat(aTrace.tokensOut()).isEqualTo(bTrace.tokensOut()).isPositive();
                assertThat(aTrace.tokensIn()).isEqualTo(bTrace.tokensIn()).isPositive();
            }
        }
    }
}
