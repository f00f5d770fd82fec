package dev.flowgraph.ui;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.ui.run.FlowSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** An ingestion run in the editor counts its files, chunks, vectors and stored chunks on the nodes doing the work. */
class IngestionProgressTest extends EditorFixture {
    @TempDir
    Path dir;

    @Test
    void eachIngestionNodeShowsItsCounters() throws Exception {
        Path docs = TestModels.projectRoot().resolve("examples/docs");
        long files;
        try (Stream<Path> list = Files.list(docs)) {
            files = list.filter(f -> f.toString().endsWith(".md") || f.toString().endsWith(".txt")).count();
        }
        FlowDocument ingest = FlowFiles.load(TestModels.projectRoot().resolve("examples/rag-ingest.flow.json"))
                .withSetting("loader", "path", docs.toString())
                .withSetting("index", "directory", dir.resolve("index").toString());
        Path file = dir.resolve("rag-ingest.flow.json");
        FlowFiles.save(ingest, file);
        robot.interact(() -> window.open(file));

        robot.clickOn("#toolbar-run");
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.RUNNING, 60, "the flow runs");
        waitUntil(() -> card("index").statusText().contains("stored"), 60, "the index counts what it stored");
        waitUntil(() -> card("loader").statusText().contains("files " + files + "/" + files), 30, "every file loaded");
        String chunks = card("splitter").statusText().replaceAll(".*chunks (\\d+).*", "$1");
        assertThat(Integer.parseInt(chunks)).isGreaterThanOrEqualTo((int) files);
        waitUntil(() -> card("embeddings").statusText().contains("embedded " + chunks), 30, "every chunk embedded");
        waitUntil(() -> card("index").statusText().contains("stored " + chunks), 30, "every chunk stored");
        waitUntil(() -> card("index").statusText().startsWith("● idle · stored " + chunks), 10,
                "the counts stay once the run is over");

        robot.clickOn("#toolbar-stop");
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.STOPPED, 30, "the flow stops");
    }
}
