package dev.flowgraph.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.nodes.rag.index.VectorIndex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The two RAG example flows, for real: rag-ingest indexes examples/docs/ with the built-in embedder; rag-api, started
 * afterwards in a runtime of its own (the index read back from disk), answers over HTTP at /prompt with the test
 * model, the retrieved passages in its prompt.
 */
class RagExampleFlowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "RagKey5";

    @TempDir
    static Path tmp;
    static Path index;
    static Run firstIngestion;

    @BeforeAll
    static void ingestTheExampleDocuments() throws Exception {
        index = tmp.resolve("rag-index");
        firstIngestion = ingest();
    }

    /** Runs rag-ingest.flow.json over examples/docs/ into the test's index directory, to its end. */
    static Run ingest() throws Exception {
        return ingest(FlowFiles.load(Path.of("rag-ingest.flow.json")), index);
    }

    /** Runs the ingestion {@code flow} over examples/docs/ into {@code into}, to its end. */
    static Run ingest(FlowDocument ingestion, Path into) throws Exception {
        FlowDocument flow = ingestion
                .withSetting("loader", "path", Path.of("docs").toAbsolutePath().toString())
                .withSetting("index", "directory", into.toString());
        CompletableFuture<Run> finished = new CompletableFuture<>();
        try (FlowRuntime ignored = FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.inProcess(Path.of("").toAbsolutePath()), rt -> rt.onRunFinished(finished::complete))) {
            Run run = finished.get(60, TimeUnit.SECONDS);
            assertThat(run.trace().nodes()).extracting(NodeTrace::error).containsOnlyNulls();
            return run;
        }
    }

    @Test
    void ingestionReadsEveryDocumentAndStoresEveryChunk() throws Exception {
        assertThat(firstIngestion.progress().toString()).startsWith("files 5/5 · chunks ");
        long chunks = firstIngestion.progress().done("chunks");
        assertThat(chunks).isGreaterThanOrEqualTo(10); // five documents of two or three paragraphs, chunks of 400
        assertThat(firstIngestion.progress().done("stored")).isEqualTo(chunks);
        try (VectorIndex vectors = VectorIndex.open(index)) {
            assertThat(vectors.size()).isEqualTo(chunks);
            assertThat(vectors.info().model()).isEqualTo("all-MiniLM-L6-v2-q");
            assertThat(vectors.info().dimension()).isEqualTo(384);
        }
    }

    @Test
    void ingestingAgainReplacesTheChunksInsteadOfAddingCopies() throws Exception {
        int before;
        try (VectorIndex vectors = VectorIndex.open(index)) {
            before = vectors.size();
        }
        Run again = ingest();
        assertThat(again.progress().done("stored")).isEqualTo(before);
        try (VectorIndex vectors = VectorIndex.open(index)) {
            assertThat(vectors.size()).isEqualTo(before);
        }
    }

    @Test
    void theServedFlowAnswersWithTheRightDocumentInItsPrompt() throws Exception {
        Map<String, String> questions = Map.of(
                "Which port does the API element listen on by default?", "api-element.md",
                "How can I keep an API key out of the saved flow file?", "flow-files.txt",
                "How many threads should llama.cpp use for a tiny model?", "local-models.md",
                "How do I run several instances of a flow behind NGINX?", "scaling-nginx.md",
                "How are chunks looked up by cosine similarity to the question?", "retrieval.md");
        LinkedBlockingQueue<Run> finished = new LinkedBlockingQueue<>();
        try (FlowRuntime runtime = serveRagApi(finished)) {
            for (Map.Entry<String, String> q : questions.entrySet()) {
                String answer = ask(runtime, q.getKey());
                assertThat(answer).as("the model's answer to %s", q.getKey()).isNotBlank();
                Run run = finished.poll(10, TimeUnit.SECONDS);
                List<Source> sources = sources(run);
                assertThat(sources).as("sources for %s", q.getKey()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
                assertThat(sources.get(0).file()).as("top source for %s", q.getKey()).isEqualTo(q.getValue());
                assertThat(sources).allSatisfy(s -> assertThat(s.score()).isGreaterThanOrEqualTo(0.4));
                // The passages went into the prompt: the model read far more than the question.
                assertThat(run.trace().node("context").orElseThrow().notes().get("passages")).doesNotStartWith("0 ");
                assertThat(run.trace().node("llm").orElseThrow().tokensIn()).isGreaterThan(150);
            }
        }
    }

    @Test
    void aQuestionTheDocumentsDoNotCoverGetsNoPassage() throws Exception {
        LinkedBlockingQueue<Run> finished = new LinkedBlockingQueue<>();
        try (FlowRuntime runtime = serveRagApi(finished)) {
            ask(runtime, "What is a good recipe for sourdough bread with rye flour?");
            Run run = finished.poll(10, TimeUnit.SECONDS);
            assertThat(sources(run)).isEmpty();
            assertThat(run.trace().node("context").orElseThrow().notes().get("passages")).startsWith("0 of 0");
        }
    }

    @Test
    void theServedFlowRefusesToStartOnAnIndexBuiltWithAnotherModel() throws Exception {
        // The same documents ingested with another embedder (the test model's own vectors, through llama.cpp).
        Path otherIndex = tmp.resolve("gguf-index");
        ingest(FlowFiles.load(Path.of("rag-ingest.flow.json"))
                .withSetting("embeddings", "embedder", "gguf")
                .withSetting("embeddings", "embeddingModelPath", TestModels.stories().toString())
                .withSetting("embeddings", "pooling", "last"), otherIndex);
        String builtWith;
        try (VectorIndex vectors = VectorIndex.open(otherIndex)) {
            builtWith = vectors.info().model();
            assertThat(builtWith).contains("stories260K");
        }
        // rag-api embeds questions with the built-in model: its Retrieve node refuses to start on that index, and
        // says which models differ and what to do, before the flow serves a single request.
        assertThatThrownBy(() -> serveRagApi(otherIndex, new LinkedBlockingQueue<>()).close())
                .isInstanceOf(FlowStartException.class)
                .hasMessageContaining("'retrieve'")
                .hasMessageContaining(builtWith)
                .hasMessageContaining("all-MiniLM-L6-v2-q")
                .hasMessageContaining("set the same embedder as the ingestion flow");
    }

    private static FlowRuntime serveRagApi(LinkedBlockingQueue<Run> finished) throws Exception {
        return serveRagApi(index, finished);
    }

    private static FlowRuntime serveRagApi(Path indexDirectory, LinkedBlockingQueue<Run> finished) throws Exception {
        FlowDocument flow = FlowFiles.load(Path.of("rag-api.flow.json"))
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("retrieve", "directory", indexDirectory.toString())
                .withSetting("llm", "modelPath", TestModels.stories().toString()).withSetting("llm", "threads", 1);
        return FlowRuntime.start(flow, NodeRegistry.discover(), RuntimeOptions.serving(Path.of("").toAbsolutePath())
                .withEnvironment(Map.of("FLOW_API_KEY", KEY)::get), rt -> rt.onRunFinished(finished::add));
    }

    /** POST /prompt with the question; the streamed answer up to [DONE]. */
    private static String ask(FlowRuntime runtime, String question) throws Exception {
        String url = ((ApiElementNode) runtime.entry()).server().url() + "/prompt";
        String body = JSON.createObjectNode().set("message", JSON.createArrayNode().add(
                JSON.createObjectNode().put("role", "user").put("content", question))).toString();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        StringBuilder answer = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.equals("data: [DONE]")) {
                    return answer.toString();
                }
                if (line.startsWith("data: ")) {
                    JsonNode event = JSON.readTree(line.substring(6));
                    assertThat(event.has("error")).as(line).isFalse();
                    answer.append(event.path("choices").path(0).path("message").path("content").asText());
                }
            }
        }
        throw new AssertionError("the stream ended without [DONE]: " + answer);
    }

    record Source(String file, double score) {
    }

    /** The retrieve node's trace note, e.g. "/…/docs/api-element.md (0.712), /…/docs/retrieval.md (0.455)". */
    private static List<Source> sources(Run run) {
        String note = run.trace().node("retrieve").orElseThrow().notes().get("sources");
        if (note.startsWith("(none")) {
            return List.of();
        }
        return Arrays.stream(note.split(", ")).map(s -> {
            int open = s.lastIndexOf(" (");
            return new Source(Path.of(s.substring(0, open)).getFileName().toString(),
                    Double.parseDouble(s.substring(open + 2, s.length() - 1)));
        }).toList();
    }
}
