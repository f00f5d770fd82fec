package dev.flowgraph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flow as an MCP tool, used by the official MCP TypeScript SDK's client (npm): over stdio as a desktop assistant
 * starts {@code flow mcp} (closing the client ends the process), and over Streamable HTTP at the API element's
 * {@code /mcp} with the key; it lists the flow's one tool and calls it with and without progress, and with arguments
 * the tool's schema refuses.
 */
class McpCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theOfficialSdkListsAndCallsTheFlowOverStdio() throws Exception {
        Path flow = storyFlow();
        JsonNode result = client(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FlowCommand.class.getName(),
                "mcp", flow.toString(), "--store", "none"));
        assertUsesTheTool(result);
        assertThat(Files.readString(dir.resolve("stderr.log"))).as("the flow stops when the client closes")
                .contains("flow 'story-api' stopped");
    }

    @Test
    void theOfficialSdkCallsTheFlowOverStreamableHttpWithTheKey() throws Exception {
        Path flow = storyFlow();
        try (FlowRuntime runtime = FlowRuntime.start(FlowFiles.load(flow).withSetting("api", "port", 0)
                        .withSetting("api", "host", "127.0.0.1"), NodeRegistry.discover(),
                RuntimeOptions.serving(dir).withEnvironment(Map.of("FLOW_API_KEY", "McpKey7")::get))) {
            String url = ((ApiElementNode) runtime.entry()).server().url() + "/mcp";
            assertUsesTheTool(client(List.of("--http", url, "McpKey7")));
            JsonNode refused = client(List.of("--http", url, "wrong-key"));
            assertThat(refused.path("connectError").asText()).as(refused.toString()).contains("invalid API key");

            // A run that fails is a tool error carrying the flow's message: here the model was unloaded.
            String base = ((ApiElementNode) runtime.entry()).server().url();
            assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(base + "/models/unload")).header("X-API-Key", "McpKey7")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            JsonNode failed = client(List.of("--http", url, "McpKey7")).path("plain");
            assertThat(failed.path("isError").asBoolean()).as(failed.toString()).isTrue();
            assertThat(failed.path("content").get(0).path("text").asText()).contains("node 'llm'").contains("unloaded");
        }
    }

    private Path storyFlow() throws Exception {
        Path flow = dir.resolve("story.flow.json");
        FlowFiles.save(FlowFiles.load(TestModels.projectRoot().resolve("examples/story-api.flow.json"))
                .withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "threads", 1).withSetting("llm", "maxTokens", 32)
                .withSetting("llm", "temperature", 0.0), flow);
        return flow;
    }

    /** Runs the TypeScript SDK client with {@code args}; what it printed. */
    private JsonNode client(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", client().toString()));
        command.addAll(args);
        Process node = new ProcessBuilder(command).redirectError(dir.resolve("stderr.log").toFile()).start();
        byte[] out = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(dir.resolve("stderr.log"));
        assertThat(node.exitValue()).as(stderr).isZero();
        return JSON.readTree(new String(out, StandardCharsets.UTF_8));
    }

    private static void assertUsesTheTool(JsonNode result) {

        assertThat(result.path("tools")).hasSize(1);
        JsonNode tool = result.path("tools").get(0);
        assertThat(tool.path("name").asText()).isEqualTo("story-api");
        assertThat(tool.path("description").asText()).contains("TinyStories");
        assertThat(tool.path("inputSchema").path("required")).extracting(JsonNode::asText).containsExactly("prompt");
        assertThat(tool.path("inputSchema").path("properties").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("prompt", "system", "session_id");

        JsonNode plain = result.path("plain");
        assertThat(plain.path("isError").asBoolean()).as(plain.toString()).isFalse();
        String story = plain.path("content").get(0).path("text").asText();
        assertThat(story).isNotBlank();

        JsonNode withProgress = result.path("withProgress");
        assertThat(withProgress.path("content").get(0).path("text").asText()).as("greedy: the same story").isEqualTo(story);
        JsonNode progress = result.path("progress");
        assertThat(progress.size()).as("a notification per piece").isGreaterThan(1);
        StringBuilder pieces = new StringBuilder();
        progress.forEach(p -> pieces.append(p.path("message").asText()));
        assertThat(pieces.toString()).as("the pieces, in order, are the answer").isEqualTo(story);
        assertThat(progress.get(0).path("progressToken").isMissingNode()).as("the call's token").isFalse();
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i).path("progressToken")).as("the call's own token")
                    .isEqualTo(progress.get(0).path("progressToken"));
            assertThat(progress.get(i).path("progress").asInt()).as("characters so far, growing")
                    .isGreaterThan(progress.get(i - 1).path("progress").asInt());
        }
        assertThat(progress.get(progress.size() - 1).path("progress").asInt()).isEqualTo(story.length());

        assertThat(result.path("missingPrompt").path("isError").asBoolean()).isTrue();
        assertThat(result.path("missingPrompt").toString()).contains("prompt");
        assertThat(result.path("wrongType").path("isError").asBoolean()).isTrue();
    }

    /** The test client (src/test/mcp, the official TypeScript SDK), its npm package installed on first use. */
    private static Path client() throws Exception {
        Path mcp = TestModels.projectRoot().resolve("flow-cli/src/test/mcp");
        if (!Files.isDirectory(mcp.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(mcp.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(install.waitFor()).as("npm install in " + mcp + " (Node and npm are needed): " + log).isZero();
        }
        return mcp.resolve("client.mjs");
    }
}
