package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestFlows;
import dev.flowgraph.nodes.rag.index.IndexInfo;
import dev.flowgraph.nodes.rag.index.VectorIndex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Embeddings node with a remote OpenAI-compatible {@code /v1/embeddings}, in an ingestion flow, against a loopback
 * server answering in the format LlamaEdge documents ({@code data[].embedding} with {@code index}).
 */
class RemoteEmbeddingsContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoopbackService service = service();

    @TempDir
    Path tmp;

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

    /** A vector that depends on the text only, pointing its own way for each document number in it. */
    static float[] vectorOf(String text) {
        float[] v = new float[6];
        v[Character.digit(text.charAt("Document number ".length()), 10)] = 1;
        v[5] = 0.1f;
        return v;
    }

    /** Answers like LlamaEdge, but lists the embeddings in reverse order: the node must place them by index. */
    private void embeddingsAnswerInReverse() {
        service.serve("/v1/embeddings", exchange -> {
            JsonNode input = service.last().body().path("input");
            ObjectNode answer = JSON.createObjectNode().put("object", "list").put("model", "nomic-embed-text-v1.5.f16");
            ArrayNode data = answer.putArray("data");
            for (int i = input.size() - 1; i >= 0; i--) {
                ArrayNode v = data.addObject().put("index", i).put("object", "embedding").putArray("embedding");
                for (float x : vectorOf(input.get(i).asText())) {
                    v.add(x);
                }
            }
            answer.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 0).put("total_tokens", 10);
            LoopbackService.json(exchange, 200, answer.toString());
        });
    }

    private Path docs(int files) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("docs"));
        for (int i = 0; i < files; i++) {
            Files.writeString(dir.resolve("doc" + i + ".txt"), "Document number " + i + " says something.");
        }
        return dir;
    }

    private Run ingest(Path docs, Path index, Map<String, Object> embedder) throws Exception {
        Map<String, Object> settings = new HashMap<>(Map.of("embedder", "openai",
                "embeddingsUrl", service.url("/v1"), "embeddingModel", "nomic-embed-text-v1.5.f16",
                "embeddingApiKey", "${env:EMBED_KEY}", "batchSize", 2));
        settings.putAll(embedder);
        FlowDocument flow = new FlowDocument(FlowDocument.FORMAT, "ingest", "", List.of(
                TestFlows.node("initiator", "initiator", Map.of()),
                TestFlows.node("loader", "rag.loader", Map.of("path", docs.toString())),
                TestFlows.node("embeddings", "rag.embeddings", settings),
                TestFlows.node("index", "rag.index", Map.of("directory", index.toString()))),
                List.of(Wire.of("initiator.signal", "loader.start"), Wire.of("loader.documents", "embeddings.documents"),
                        Wire.of("embeddings.vectors", "index.vectors")));
        CompletableFuture<Run> finished = new CompletableFuture<>();
        try (FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.inProcess(tmp).withEnvironment(Map.of("EMBED_KEY", "EmbedKey7")::get),
                rt -> rt.onRunFinished(finished::complete))) {
            return finished.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sendsBatchesOfInputsWithTheModelAndKeyAndStoresTheVectorsByIndex() throws Exception {
        embeddingsAnswerInReverse();
        Path index = tmp.resolve("index");
        Run run = ingest(docs(5), index, Map.of());

        assertThat(run.trace().nodes()).extracting(NodeTrace::error).containsOnlyNulls();
        assertThat(service.received()).extracting(r -> r.body().path("input").size()).containsExactly(2, 2, 1);
        assertThat(service.received()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/v1/embeddings");
            assertThat(r.authorization()).isEqualTo("Bearer EmbedKey7");
            assertThat(r.body().path("model").asText()).isEqualTo("nomic-embed-text-v1.5.f16");
        });
        assertThat(run.progress().done("embedded")).isEqualTo(5);
        try (VectorIndex vectors = VectorIndex.open(index)) {
            assertThat(vectors.size()).isEqualTo(5);
            assertThat(vectors.info()).isEqualTo(new IndexInfo("remote:nomic-embed-text-v1.5.f16", 6));
            // Each text must have been stored with its own vector, not its neighbour's in the reversed answer.
            String text = "Document number 3 says something.";
            List<Document> found = vectors.search(vectorOf(text), vectors.info(), 1, 0.0);
            assertThat(found).singleElement().satisfies(d -> {
                assertThat(d.text()).isEqualTo(text);
                assertThat(d.source()).endsWith("doc3.txt");
                assertThat(d.score().getAsDouble()).isGreaterThan(0.9999);
            });
        }
    }

    @Test
    void anErrorFromTheServiceFailsTheIngestionAndStoresNothing() throws Exception {
        service.serve("/v1/embeddings", exchange -> LoopbackService.json(exchange, 500,
                "{\"error\":{\"message\":\"Model is not found.\",\"type\":\"server_error\"}}"));
        Path index = tmp.resolve("index");
        Run run = ingest(docs(3), index, Map.of());

        NodeTrace embeddings = run.trace().node("embeddings").orElseThrow();
        assertThat(embeddings.error()).contains("embeddings service at " + service.url("/v1/embeddings"))
                .contains("HTTP 500").contains("Model is not found.").doesNotContain("EmbedKey7");
        assertThat(service.received()).hasSize(1); // the first failed batch stops the run
        assertThat(!Files.exists(index) || Files.list(index).noneMatch(p -> p.getFileName().toString().startsWith("segments")))
                .as("no commit in %s", index).isTrue();
    }
}
