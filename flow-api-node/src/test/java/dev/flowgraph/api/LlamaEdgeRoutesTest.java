package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LlamaEdge's embeddings, retrieve and models routes ({@code llamaedge-api.txt}) on {@code examples/rag-api.flow.json}
 * after {@code rag-ingest} indexed {@code examples/docs/}: a Python client written from the spec, the official OpenAI
 * npm SDK, and our own nodes in other flows (a LlamaEdge retrieve node, an Embeddings node with the openai embedder)
 * calling them.
 */
class LlamaEdgeRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "EdgeKey7";
    private static final Path EXAMPLES = TestModels.projectRoot().resolve("examples");
    private static final String NGINX_QUESTION = "How do I run several instances of a flow behind NGINX?";

    @TempDir
    static Path tmp;
    static FlowRuntime served;
    static String url;

    @BeforeAll
    static void serveTheRagFlowOverItsIndex() throws Exception {
        Path index = tmp.resolve("index");
        ingest(FlowFiles.load(EXAMPLES.resolve("rag-ingest.flow.json")), index);
        served = serve(FlowFiles.load(EXAMPLES.resolve("rag-api.flow.json"))
                .withSetting("retrieve", "directory", index.toString()));
        url = ((ApiElementNode) served.entry()).server().url();
    }

    @AfterAll
    static void stop() {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void aPythonClientWrittenFromTheSpecEmbedsRetrievesAndListsModels() throws Exception {
        String script = TestModels.projectRoot().resolve("flow-api-node/src/test/resources/llamaedge_client.py").toString();
        Processes.Result run = Processes.run(List.of(Processes.pythonWithRequests(), script, url, KEY, NGINX_QUESTION));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode out = JSON.readTree(run.stdout());

        JsonNode embeddings = out.path("embeddings");
        assertThat(embeddings.path("status").asInt()).isEqualTo(200);
        assertThat(embeddings.path("object").asText()).isEqualTo("list");
        assertThat(embeddings.path("model").asText()).isEqualTo("all-MiniLM-L6-v2-q");
        assertThat(embeddings.path("items")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode item = embeddings.path("items").path(i);
            assertThat(item.path("index").asInt()).isEqualTo(i);
            assertThat(item.path("object").asText()).isEqualTo("embedding");
            assertThat(item.path("dims").asInt()).isEqualTo(384);
        }
        JsonNode usage = embeddings.path("usage");
        // MiniLM's word pieces: "paris is the capital of france ." and "flows are drawn in an editor ."
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(14);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(14);

        JsonNode retrieve = out.path("retrieve");
        assertThat(retrieve.path("status").asInt()).isEqualTo(200);
        assertThat(retrieve.path("limit").asInt()).as("the node's limit").isEqualTo(3);
        assertThat(retrieve.path("score_threshold").asDouble()).isEqualTo(0.4);
        JsonNode top = retrieve.path("points").path(0);
        assertThat(top.path("score").asDouble()).isGreaterThanOrEqualTo(0.4);
        assertThat(Files.readString(EXAMPLES.resolve("docs/scaling-nginx.md")))
                .as("the top point is a passage of the document that answers the question")
                .contains(top.path("passage").asText().strip().lines().findFirst().orElseThrow());
        List<Double> scores = new ArrayList<>();
        retrieve.path("points").forEach(p -> scores.add(p.path("score").asDouble()));
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));

        JsonNode models = out.path("models");
        assertThat(models.path("status").asInt()).as("POST /v1/models, as the spec shows it").isEqualTo(200);
        List<String> ids = new ArrayList<>();
        models.path("body").path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertThat(ids).containsExactly("rag-api", "all-MiniLM-L6-v2-q");

        assertError(out.path("empty_input"), 400, "input", "'input' is empty");
        assertError(out.path("not_strings"), 400, "input", "'input[1]' must be a string");
        assertError(out.path("too_many"), 400, "input", "at most 256");
        assertError(out.path("no_user"), 400, "messages", "no user message");
        assertThat(out.path("wrong_key").path("status").asInt()).isEqualTo(401);
        assertThat(out.path("wrong_key").path("body").path("error").path("type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void theOfficialOpenAiSdkGetsTheSameVectorsAsTheEmbedderInProcess() throws Exception {
        Path clients = EXAMPLES.resolve("clients");
        if (!Files.isDirectory(clients.resolve("node_modules/openai"))) {
            Processes.Result install = Processes.run(List.of("npm", "install", "--no-audit", "--no-fund",
                    "--prefix", clients.toString()));
            assertThat(install.exitCode()).as("npm install in examples/clients (Node and npm are needed): "
                    + install.stderr()).isZero();
        }
        ProcessBuilder pb = new ProcessBuilder("node", clients.resolve("openai_embeddings.mjs").toString(), url,
                "Paris is the capital of France.", "Flows are drawn in an editor.", "NGINX balances the load.");
        pb.environment().put("FLOW_API_KEY", KEY);
        Process node = pb.start();
        String stdout = new String(node.getInputStream().readAllBytes());
        String stderr = new String(node.getErrorStream().readAllBytes());
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(stderr).isZero();
        JsonNode out = JSON.readTree(stdout);
        assertThat(out.path("model").asText()).isEqualTo("all-MiniLM-L6-v2-q");
        assertThat(out.path("vectors")).hasSize(3);
        assertThat(out.path("usage").path("prompt_tokens").asInt()).isPositive();

        // The SDK asks for base64 floats and decodes them: the numbers are the embedder's own.
        var embedder = ((ApiElementNode) served.entry()).embedders().get(0);
        float[] direct = embedder.embedTexts(List.of("NGINX balances the load."), Run.detached()).vectors().get(0);
        JsonNode third = out.path("vectors").path(2);
        assertThat(third.path("dims").asInt()).isEqualTo(direct.length);
        assertThat(third.path("first").asDouble()).isEqualTo(direct[0], org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void ourLlamaEdgeRetrieveNodeInAnotherFlowGetsThePassagesOfThisOne() throws Exception {
        FlowDocument rag = FlowFiles.load(EXAMPLES.resolve("rag-api.flow.json"));
        List<NodeInstance> nodes = new ArrayList<>();
        for (NodeInstance n : rag.nodes()) {
            nodes.add(!n.id().equals("retrieve") ? n : new NodeInstance("retrieve", "rag.llamaedge", n.position(),
                    Map.of("baseUrl", url + "/v1", "apiKey", KEY)));
        }
        List<Document> passages = new CopyOnWriteArrayList<>();
        try (FlowRuntime client = serve(rag.withContent(nodes, rag.wires()))) {
            client.tapWires((node, port, packet) -> {
                if (node.equals("retrieve") && packet instanceof Packet.Delta d && d.value() instanceof Document doc) {
                    passages.add(doc);
                }
            });
            Run run = ask(client, NGINX_QUESTION);
            assertThat(run.trace().nodes()).extracting(NodeTrace::error).containsOnlyNulls();
        }
        assertThat(passages).isNotEmpty();
        assertThat(passages.get(0).score().orElseThrow()).isGreaterThanOrEqualTo(0.4);
        assertThat(Files.readString(EXAMPLES.resolve("docs/scaling-nginx.md")))
                .contains(passages.get(0).text().strip().lines().findFirst().orElseThrow());
    }

    @Test
    void anIndexBuiltThroughThisFlowsEmbeddingsAnswersLikeTheBuiltInOne() throws Exception {
        Path index = tmp.resolve("remote-index");
        Map<String, Object> remote = Map.of("embedder", "openai", "embeddingsUrl", url + "/v1",
                "embeddingApiKey", KEY, "embeddingModel", "all-MiniLM-L6-v2-q");
        FlowDocument ingestion = FlowFiles.load(EXAMPLES.resolve("rag-ingest.flow.json"));
        for (var e : remote.entrySet()) {
            ingestion = ingestion.withSetting("embeddings", e.getKey(), e.getValue());
        }
        ingest(ingestion, index);

        FlowDocument retrieval = FlowFiles.load(EXAMPLES.resolve("rag-api.flow.json"))
                .withSetting("retrieve", "directory", index.toString());
        for (var e : remote.entrySet()) {
            retrieval = retrieval.withSetting("retrieve", e.getKey(), e.getValue());
        }
        try (FlowRuntime second = serve(retrieval)) {
            String secondUrl = ((ApiElementNode) second.entry()).server().url();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(secondUrl + "/v1/retrieve"))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\""
                            + "Which port does the API element listen on by default?\"}],\"limit\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("limit").asInt()).as("a request may ask for fewer").isEqualTo(1);
            String passage = JSON.readValue(body.path("points").path(0).path("source").asText(), String.class);
            assertThat(Files.readString(EXAMPLES.resolve("docs/api-element.md")))
                    .contains(passage.strip().lines().findFirst().orElseThrow());
        }
    }

    @Test
    void aFlowWithoutAnEmbedderSaysSoInOpenAisShape() throws Exception {
        try (StoryServer story = StoryServer.start(Map.of())) {
            for (String route : List.of("/v1/embeddings", "/v1/retrieve")) {
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(story.url + route))
                        .header("Authorization", "Bearer " + StoryServer.KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"hi\",\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(404);
                JsonNode error = JSON.readTree(answer.body()).path("error");
                assertThat(error.path("type").asText()).isEqualTo("not_found_error");
                assertThat(error.path("message").asText()).contains("this flow has no").contains(route);
            }
        }
    }

    private static void assertError(JsonNode call, int status, String param, String message) {
        assertThat(call.path("status").asInt()).as(call.toString()).isEqualTo(status);
        JsonNode error = call.path("body").path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo(param);
        assertThat(error.path("message").asText()).contains(message);
    }

    /** Runs an ingestion flow over examples/docs/ into {@code index}, to its end. */
    private static void ingest(FlowDocument ingestion, Path index) throws Exception {
        FlowDocument flow = ingestion.withSetting("loader", "path", EXAMPLES.resolve("docs").toString())
                .withSetting("index", "directory", index.toString());
        CompletableFuture<Run> finished = new CompletableFuture<>();
        try (FlowRuntime ignored = FlowRuntime.start(flow, NodeRegistry.discover(), RuntimeOptions.inProcess(EXAMPLES),
                rt -> rt.onRunFinished(finished::complete))) {
            Run run = finished.get(120, TimeUnit.SECONDS);
            assertThat(run.trace().nodes()).extracting(NodeTrace::error).containsOnlyNulls();
        }
    }

    /** Serves a flow on a free loopback port with the test model and key. */
    private static FlowRuntime serve(FlowDocument flow) throws Exception {
        FlowDocument local = flow.withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("llm", "modelPath", TestModels.stories().toString()).withSetting("llm", "maxTokens", 16);
        return FlowRuntime.start(local, NodeRegistry.discover(),
                RuntimeOptions.serving(EXAMPLES).withEnvironment(Map.of("FLOW_API_KEY", KEY)::get));
    }

    /** Sends one question through a flow's entry and waits for its run to end. */
    private static Run ask(FlowRuntime runtime, String question) throws Exception {
        CompletableFuture<Packet> end = new CompletableFuture<>();
        Run run = runtime.entry().submit(ChatRequest.ofUser(question), p -> {
            if (p.isTerminal()) {
                end.complete(p);
            }
        });
        assertThat(end.get(60, TimeUnit.SECONDS)).isInstanceOf(Packet.End.class);
        return run;
    }
}
