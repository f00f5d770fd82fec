package dev.flowgraph.bench;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.nodes.rag.Retrieve;
import dev.flowgraph.nodes.rag.embed.Embedder;
import dev.flowgraph.nodes.rag.embed.Embedders;
import dev.flowgraph.nodes.rag.index.IndexInfo;
import dev.flowgraph.nodes.rag.index.VectorIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Retrieval with the built-in embedder (all-MiniLM-L6-v2): ingestion throughput through the example ingestion flow
 * (loader → splitter → embeddings → Lucene index), query latency (embed + search) against a 10k-chunk index, and the
 * index's size on disk. The corpus is generated (seeded), one chunk per paragraph of about 350 characters.
 * Usage: scripts/bench-rag.sh [chunks] [queries] [rounds]
 */
public final class RagBenchmark {
    private static final String[] WORDS = ("flow node wire prompt model token stream server request answer index "
            + "vector chunk document source embedding cosine score editor canvas setting port thread context "
            + "retrieval passage question cache graph signal initiator element client error status health nginx "
            + "instance drain batch limit threshold template system user assistant file folder disk memory speed "
            + "latency throughput median run trace progress loader splitter store search query result").split(" ");

    public static void main(String[] args) throws Exception {
        int chunks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path work = Files.createTempDirectory("rag-bench-");
        Path flowFile = Path.of("examples/rag-ingest.flow.json");

        System.out.printf("RAG benchmark: built-in embedder, %d-chunk index, %d queries, %d ingestion rounds of %d chunks%n",
                chunks, queries, rounds, chunks / 10);
        NodeSettings settings = NodeSettings.resolve("bench", new Retrieve().descriptor(),
                Map.of("directory", work.resolve("index").toString()), System::getenv, List.of(Path.of("")));
        List<Double> rates = new ArrayList<>();
        List<Double> alone = new ArrayList<>();
        try (Embedder embedder = Embedders.create(settings)) {
            for (int r = 0; r < rounds; r++) {
                Path docs = corpus(work.resolve("small-" + r), chunks / 10, 100 + r);
                rates.add(ingest(flowFile, docs, work.resolve("small-index-" + r)));
                alone.add(embedAlone(embedder, docs)); // the same texts, straight into the embedder: the ceiling
            }
        }
        System.out.printf("ingestion, %d chunks per round: median %.0f chunks/s through the flow, %.0f texts/s "
                        + "embedder alone (batches of 32) = %.2f× (rounds: %s / %s)%n", chunks / 10, median(rates),
                median(alone), median(rates) / median(alone), format(rates), format(alone));

        Path bigIndex = work.resolve("index");
        double bigRate = ingest(flowFile, corpus(work.resolve("big"), chunks, 7), bigIndex);
        long bytes = size(bigIndex);
        System.out.printf("ingestion, %d chunks: %.0f chunks/s; index on disk %.2f MB = %.2f MB per 1k chunks "
                        + "(raw 384-float vectors alone: %.2f MB per 1k)%n", chunks, bigRate, bytes / 1e6,
                bytes / 1e6 / (chunks / 1000.0), 1000 * 384 * 4 / 1e6);

        try (Embedder embedder = Embedders.create(settings); VectorIndex index = VectorIndex.open(bigIndex)) {
            Random random = new Random(42);
            List<Double> embed = new ArrayList<>();
            List<Double> search = new ArrayList<>();
            List<Double> total = new ArrayList<>();
            for (int q = -20; q < queries; q++) { // 20 warm-up queries first
                String question = sentence(random, 12) + "?";
                Run run = Run.detached();
                long t0 = System.nanoTime();
                float[] vector = embedder.embed(List.of(question), run).get(0);
                long t1 = System.nanoTime();
                index.search(vector, new IndexInfo(embedder.model(), vector.length), 5, 0.4);
                long t2 = System.nanoTime();
                if (q >= 0) {
                    embed.add((t1 - t0) / 1e6);
                    search.add((t2 - t1) / 1e6);
                    total.add((t2 - t0) / 1e6);
                }
            }
            System.out.printf("query at %d chunks (limit 5): median %.2f ms = embed %.2f ms + search %.2f ms; "
                    + "p90 %.2f ms%n", index.size(), median(total), median(embed), median(search), percentile(total, 0.9));
        }
        System.exit(0);
    }

    /** Runs the example ingestion flow over {@code docs} into {@code index}; chunks per second of the whole run. */
    private static double ingest(Path flowFile, Path docs, Path index) throws Exception {
        FlowDocument flow = FlowFiles.load(flowFile).withSetting("loader", "path", docs.toString())
                .withSetting("index", "directory", index.toString());
        CompletableFuture<Run> finished = new CompletableFuture<>();
        try (FlowRuntime ignored = FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.inProcess(Path.of("").toAbsolutePath()), rt -> rt.onRunFinished(finished::complete))) {
            Run run = finished.get(1, TimeUnit.HOURS);
            double seconds = (System.nanoTime() - run.startNanos()) / 1e9;
            for (NodeTrace node : run.trace().nodes()) {
                if (node.error() != null) {
                    throw new IllegalStateException(node.nodeId() + ": " + node.error());
                }
            }
            return run.progress().done("stored") / seconds;
        }
    }

    /** Embeds every paragraph of the corpus directly, in batches of 32; texts per second. */
    private static double embedAlone(Embedder embedder, Path docs) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(docs)) {
            for (Path f : files.toList()) {
                Arrays.stream(Files.readString(f).split("\n\n")).filter(t -> !t.isBlank()).forEach(texts::add);
            }
        }
        long start = System.nanoTime();
        for (int i = 0; i < texts.size(); i += 32) {
            embedder.embed(texts.subList(i, Math.min(texts.size(), i + 32)), Run.detached());
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static List<String> format(List<Double> values) {
        return values.stream().map(x -> String.format("%.0f", x)).toList();
    }

    /** Files of 10 paragraphs, each paragraph one chunk (about 350 characters; two never fit in one of 400). */
    private static Path corpus(Path dir, int paragraphs, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        for (int file = 0; file * 10 < paragraphs; file++) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < 10 && file * 10 + p < paragraphs; p++) {
                StringBuilder paragraph = new StringBuilder();
                while (paragraph.length() < 330) {
                    paragraph.append(sentence(random, 6 + random.nextInt(6))).append(". ");
                }
                text.append(paragraph.toString().strip()).append("\n\n");
            }
            Files.writeString(dir.resolve("doc-" + file + ".md"), text);
        }
        return dir;
    }

    private static String sentence(Random random, int words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) {
            String w = WORDS[random.nextInt(WORDS.length)];
            s.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : " " + w);
        }
        return s.toString();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    private static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * (sorted.length - 1) + 0.5))];
    }
}
