package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official {@code openai} npm package against the API element: examples/clients/openai_chat.mjs, with the
 * package installed into that folder's git-ignored node_modules on first use.
 */
class OpenAiSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CLIENTS = TestModels.projectRoot().resolve("examples/clients");
    private static StoryServer server;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isDirectory(CLIENTS.resolve("node_modules/openai"))) {
            Processes.Result install = Processes.run(List.of("npm", "install", "--no-audit", "--no-fund",
                    "--prefix", CLIENTS.toString()));
            assertThat(install.exitCode()).as("npm install in examples/clients (Node and npm are needed): "
                    + install.stderr()).isZero();
        }
        server = StoryServer.start(Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode sdk(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", CLIENTS.resolve("openai_chat.mjs").toString(), "--json"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("FLOW_URL", server.url);
        pb.environment().put("FLOW_API_KEY", StoryServer.KEY);
        pb.environment().put("FLOW_MAX_TOKENS", "24");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        p.waitFor();
        assertThat(out).as(err).isNotBlank();
        return JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void aCompletionThroughTheSdk() throws Exception {
        JsonNode r = sdk(Map.of(), "Once upon a time,");
        assertThat(r.get("text").asText()).isNotBlank();
        JsonNode usage = r.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isPositive();
        assertThat(usage.get("completion_tokens").asInt()).isBetween(1, 24);
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
    }

    @Test
    void aStreamThroughTheSdk() throws Exception {
        JsonNode r = sdk(Map.of(), "Once upon a time,", "--stream");
        assertThat(r.get("text").asText()).isNotBlank();
        assertThat(r.get("chunks").asInt()).isGreaterThan(3);
        assertThat(r.get("finish_reason").asText()).isIn("stop", "length");
        assertThat(r.get("usage").get("completion_tokens").asInt()).isBetween(1, 24);
        assertThat(r.get("usage").get("total_tokens").asInt()).isEqualTo(
                r.get("usage").get("prompt_tokens").asInt() + r.get("usage").get("completion_tokens").asInt());
    }

    @Test
    void theReadmesPythonSnippetCallForCallPrintsTheStory() throws Exception {
        // examples/clients/openai_snippet.mjs makes exactly the calls of the README's Python snippet (no max_tokens,
        // no stream options, the SDK's default retries): the server's default answer length, streamed.
        server.finishedRuns.clear();
        ProcessBuilder pb = new ProcessBuilder("node", CLIENTS.resolve("openai_snippet.mjs").toString());
        pb.environment().put("FLOW_URL", server.url);
        pb.environment().put("FLOW_API_KEY", StoryServer.KEY);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(out).as(err).isNotBlank().doesNotContain("undefined").doesNotContain("null");
        Run run = server.finishedRuns.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(run).isNotNull();
        NodeTrace llm = run.trace().node("llm").orElseThrow();
        assertThat(llm.tokensOut()).as("the story the model generated is the one printed").isPositive();
        assertThat(out.split("\\s+").length).isGreaterThan(llm.tokensOut() / 4);
    }

    @Test
    void aWrongKeyRaisesTheSdksAuthenticationError() throws Exception {
        JsonNode r = sdk(Map.of("FLOW_API_KEY", "wrong"), "hi");
        assertThat(r.get("error").asText()).isEqualTo("AuthenticationError");
        assertThat(r.get("status").asInt()).isEqualTo(401);
    }

    @Test
    void aWrongModelRaisesTheSdksNotFoundError() throws Exception {
        JsonNode r = sdk(Map.of("FLOW_MODEL", "gpt-4o"), "hi");
        assertThat(r.get("error").asText()).isEqualTo("NotFoundError");
        assertThat(r.get("status").asInt()).isEqualTo(404);
    }
}
