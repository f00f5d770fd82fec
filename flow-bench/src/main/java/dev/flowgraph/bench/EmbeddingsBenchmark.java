package dev.flowgraph.bench;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.doc.EmbeddingService;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestModels;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two figures for issue 20, each measured side by side in one run:
 * <ol>
 *   <li>{@code POST /v1/embeddings} throughput (texts per second, batches of 32, the built-in embedder) against the
 *   same embedder called in-process on the same texts, rounds alternating;</li>
 *   <li>PDF ingestion: a generated 200-page PDF through the example ingestion flow (loader, splitter, embeddings,
 *   index), pages per second, and the loader's PDF reading alone.</li>
 * </ol>
 * Usage: scripts/bench-embeddings.sh [rounds] [batch] [pages]
 */
public final class EmbeddingsBenchmark {
    private static final String KEY = "BenchKey1";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int pages = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path tmp = Files.createTempDirectory("bench-embeddings");
        Path examples = TestModels.projectRoot().resolve("examples");

        Path index = tmp.resolve("index");
        ingest(FlowFiles.load(examples.resolve("rag-ingest.flow.json"))
                .withSetting("loader", "path", examples.resolve("docs").toString()), index);
        FlowDocument rag = FlowFiles.load(examples.resolve("rag-api.flow.json"))
                .withSetting("retrieve", "directory", index.toString())
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("llm", "modelPath", TestModels.stories().toString());
        try (FlowRuntime served = FlowRuntime.start(rag, NodeRegistry.discover(),
                RuntimeOptions.serving(examples).withEnvironment(Map.of("FLOW_API_KEY", KEY)::get))) {
            ApiElementNode api = (ApiElementNode) served.entry();
            EmbeddingService embedder = api.embedders().get(0);
            URI endpoint = URI.create(api.server().url() + "/v1/embeddings");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<Double> direct = new ArrayList<>();
            List<Double> http = new ArrayList<>();
            List<Double> base64 = new ArrayList<>();
            Random random = new Random(7);
            for (int round = -15; round < rounds; round++) { // fifteen rounds of warm-up
                List<String> texts = texts(random, batch);
                // Numbers as JSON, and base64 floats (what OpenAI's SDKs ask for), in rotating order with in-process.
                for (int i = 0; i < 3; i++) {
                    int which = Math.floorMod(round + i, 3);
                    long t0 = System.nanoTime();
                    if (which < 2) {
                        String body = which == 0 ? body(texts) : body(texts).replace("{\"model\"",
                                "{\"encoding_format\":\"base64\",\"model\"");
                        HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(endpoint)
                                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException("HTTP " + answer.statusCode() + ": " + new String(answer.body()));
                        }
                        if (round >= 0) {
                            (which == 0 ? http : base64).add(batch / ((System.nanoTime() - t0) / 1e9));
                        }
                    } else {
                        embedder.embedTexts(texts, Run.detached());
                        if (round >= 0) {
                            direct.add(batch / ((System.nanoTime() - t0) / 1e9));
                        }
                    }
                }
            }
            double inProcess = median(direct);
            System.out.printf("/v1/embeddings, batches of %d, %d rounds: in-process %.0f texts/s; over HTTP %.0f "
                            + "texts/s as JSON numbers (%.3f×), %.0f texts/s as base64 (%.3f×)%n", batch, rounds,
                    inProcess, median(http), median(http) / inProcess, median(base64), median(base64) / inProcess);
        }

        Path docs = Files.createDirectories(tmp.resolve("pdf"));
        Path pdf = docs.resolve("generated.pdf");
        writePdf(pdf, pages);
        long r0 = System.nanoTime();
        var read = dev.flowgraph.nodes.rag.read.DocumentReaders.forFile(pdf, Files.readAllBytes(pdf))
                .read(pdf, Files.readAllBytes(pdf));
        double readSeconds = (System.nanoTime() - r0) / 1e9;
        long i0 = System.nanoTime();
        Run run = ingest(FlowFiles.load(examples.resolve("rag-ingest.flow.json"))
                .withSetting("loader", "path", docs.toString()), tmp.resolve("pdf-index"));
        double ingestSeconds = (System.nanoTime() - i0) / 1e9;
        System.out.printf("PDF, %d pages: read %.0f pages/s (%d documents); ingested (read, split, embedded, stored) "
                        + "%.1f pages/s in %.1f s [%s]%n", pages, pages / readSeconds, read.documents().size(),
                pages / ingestSeconds, ingestSeconds, run.progress());
        System.exit(0);
    }

    private static Run ingest(FlowDocument ingestion, Path into) throws Exception {
        FlowDocument flow = ingestion.withSetting("index", "directory", into.toString())
                .withSetting("loader", "glob", "*.{md,txt,pdf}");
        CompletableFuture<Run> finished = new CompletableFuture<>();
        try (FlowRuntime ignored = FlowRuntime.start(flow, NodeRegistry.discover(), RuntimeOptions.inProcess(into),
                rt -> rt.onRunFinished(finished::complete))) {
            return finished.get(30, TimeUnit.MINUTES);
        }
    }

    private static final String[] WORDS = ("flow node wire model token stream prompt answer server client index "
            + "vector passage document chunk embedding retrieval cosine similarity editor canvas graph branch merge "
            + "switch template story cat dog river mountain city paris france engine runtime latency throughput")
            .split(" ");

    private static List<String> texts(Random random, int n) {
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < 40; w++) {
                b.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            texts.add(b.append('.').toString());
        }
        return texts;
    }

    private static String body(List<String> texts) {
        StringBuilder b = new StringBuilder("{\"model\":\"all-MiniLM-L6-v2-q\",\"input\":[");
        for (int i = 0; i < texts.size(); i++) {
            b.append(i == 0 ? "\"" : ",\"").append(texts.get(i)).append('"');
        }
        return b.append("]}").toString();
    }

    private static void writePdf(Path file, int pages) throws Exception {
        Random random = new Random(11);
        try (PDDocument pdf = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.beginText();
                    content.setFont(font, 11);
                    content.setLeading(14);
                    content.newLineAtOffset(50, 740);
                    for (int line = 0; line < 40; line++) {
                        StringBuilder b = new StringBuilder();
                        for (int w = 0; w < 12; w++) {
                            b.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                        }
                        content.showText(b.toString());
                        content.newLine();
                    }
                    content.endText();
                }
            }
            pdf.save(file.toFile());
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
