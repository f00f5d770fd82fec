package dev.flowgraph.nodes.rag;

import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.doc.RetrievalService;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.flowgraph.core.testing.TestFlows.node;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Document loader on a folder of mixed files: a three-page PDF made here with PDFBox (its second page a blank
 * "scan"), an HTML page, a Markdown file and a file that claims to be a PDF but is not. Everything readable is
 * ingested; the unreadable file and the empty page are named in the progress line and the trace.
 */
class DocumentFormatsTest {
    private static final List<String> PDF_PAGES = List.of(
            "Volcanoes form where magma rises through the crust. Lava cools into basalt rock on the slopes.",
            "",
            "Penguins live in the southern hemisphere. Emperor penguins huddle together to survive the Antarctic "
                    + "winter, taking turns on the cold outer edge of the group.");

    @TempDir
    Path dir;

    @Test
    void pdfPagesHtmlAndMarkdownAreIngestedAndTheUnreadableFileIsNamed() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        writePdf(docs.resolve("nature.pdf"));
        Files.writeString(docs.resolve("bakery.html"), """
                <!DOCTYPE html>
                <html><head><title>Sourdough basics</title><script>var tracking = 1;</script></head>
                <body><nav>Home | Recipes | About</nav>
                <main><h1>Sourdough</h1>
                <p>A sourdough starter is flour and water fermented by wild yeast.</p>
                <p>Feed the starter every day and bake when it doubles.</p></main>
                <footer>Copyright the bakery</footer></body></html>
                """);
        Files.writeString(docs.resolve("trains.md"), "# Trains\n\nA steam locomotive burns coal to boil water.\n");
        Files.write(docs.resolve("broken.pdf"), new byte[]{0x00, 0x13, (byte) 0xff, 0x42, 0x7f});

        Path index = dir.resolve("index");
        Run run = ingest(docs, index);
        String progress = run.progress().toString();
        assertThat(progress).startsWith("files 4/4 · ");
        assertThat(progress).contains("skipped 1 (broken.pdf: ");
        assertThat(progress).contains("no text 1 (nature.pdf page 2)");
        assertThat(run.trace().node("loader").orElseThrow().notes().get("skipped")).startsWith("broken.pdf: ");

        FlowDocument retrieval = new FlowDocument(FlowDocument.FORMAT, "ask", "", List.of(
                node("question", "flow.input", Map.of("name", "question", "dataType", "chat")),
                node("retrieve", Retrieve.TYPE, Map.of("directory", index.toString(), "embedder", "builtin"))),
                List.of(Wire.of("question.value", "retrieve.chat")));
        try (FlowRuntime runtime = FlowRuntime.start(retrieval, NodeRegistry.discover(), RuntimeOptions.inProcess(dir))) {
            RetrievalService retrieve = runtime.behaviorOf("retrieve", RetrievalService.class);
            List<Document> penguins = retrieve.retrieve("How do emperor penguins survive the winter?", 3, 0, Run.detached());
            assertThat(penguins.get(0).source()).as("the PDF's page is the top source")
                    .isEqualTo(docs.resolve("nature.pdf") + "#page=3");
            List<Document> bread = retrieve.retrieve("How often should I feed a sourdough starter?", 3, 0, Run.detached());
            assertThat(bread.get(0).source()).isEqualTo(docs.resolve("bakery.html") + " (Sourdough basics)");
            assertThat(bread.get(0).text()).contains("Feed the starter every day")
                    .doesNotContain("tracking").doesNotContain("Recipes").doesNotContain("Copyright");
            assertThat(retrieve.retrieve("What does a steam locomotive burn?", 1, 0, Run.detached()).get(0).source())
                    .isEqualTo(docs.resolve("trains.md").toString());
        }
    }

    private static void writePdf(Path file) throws Exception {
        try (PDDocument pdf = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String text : PDF_PAGES) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                if (text.isEmpty()) {
                    continue; // a page with no text, as a scan would be
                }
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.setLeading(16);
                    content.newLineAtOffset(50, 700);
                    for (String line : wrap(text, 80)) {
                        content.showText(line);
                        content.newLine();
                    }
                    content.endText();
                }
            }
            pdf.save(file.toFile());
        }
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static Run ingest(Path docs, Path index) throws Exception {
        FlowDocument flow = new FlowDocument(FlowDocument.FORMAT, "ingest", "", List.of(
                node("initiator", "initiator", Map.of()),
                node("loader", DocumentLoader.TYPE, Map.of("path", docs.toString())),
                node("splitter", "rag.splitter", Map.of("chunkSize", 400, "overlap", 40)),
                node("embeddings", "rag.embeddings", Map.of("embedder", "builtin")),
                node("index", "rag.index", Map.of("directory", index.toString()))),
                List.of(Wire.of("initiator.signal", "loader.start"), Wire.of("loader.documents", "splitter.documents"),
                        Wire.of("splitter.chunks", "embeddings.documents"), Wire.of("embeddings.vectors", "index.vectors")));
        CompletableFuture<Run> finished = new CompletableFuture<>();
        try (FlowRuntime ignored = FlowRuntime.start(flow, NodeRegistry.discover(), RuntimeOptions.inProcess(docs),
                rt -> rt.onRunFinished(finished::complete))) {
            return finished.get(120, TimeUnit.SECONDS);
        }
    }
}
