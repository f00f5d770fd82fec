package dev.flowgraph.nodes.rag.index;

import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.doc.EmbeddedDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VectorIndexTest {
    private static final String MODEL = "test-model";
    private static final IndexInfo QUERY = new IndexInfo(MODEL, 3);

    @TempDir
    Path dir;

    private static EmbeddedDocument doc(String source, String text, float... vector) {
        return new EmbeddedDocument(Document.of(text, source), MODEL, vector);
    }

    private void ingest(EmbeddedDocument... docs) throws Exception {
        try (VectorIndexWriter writer = VectorIndexWriter.open(dir)) {
            for (EmbeddedDocument d : docs) {
                writer.add(d);
            }
            writer.commit();
        }
    }

    @Test
    void findsTheNearestByCosineAboveTheThreshold() throws Exception {
        ingest(doc("a.md", "east", 1, 0, 0), doc("b.md", "north-east", 1, 1, 0), doc("c.md", "west", -1, 0, 0));
        try (VectorIndex index = VectorIndex.open(dir)) {
            List<Document> found = index.search(new float[]{2, 0, 0}, QUERY, 5, 0.4);
            assertThat(found).extracting(Document::source).containsExactly("a.md", "b.md"); // west is -1: left out
            assertThat(found.get(0).score().getAsDouble()).isCloseTo(1.0, within(1e-5));
            assertThat(found.get(1).score().getAsDouble()).isCloseTo(Math.sqrt(0.5), within(1e-5));
            assertThat(index.search(new float[]{2, 0, 0}, QUERY, 1, 0.4)).hasSize(1);
            assertThat(index.info()).isEqualTo(QUERY);
        }
    }

    @Test
    void ingestingASourceAgainReplacesItsChunks() throws Exception {
        ingest(doc("a.md", "old one", 1, 0, 0), doc("a.md", "old two", 1, 0.1f, 0), doc("b.md", "other", 0, 1, 0));
        ingest(doc("a.md", "new", 1, 0, 0));
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.size()).isEqualTo(2);
            assertThat(index.search(new float[]{1, 0, 0}, QUERY, 5, 0.5)).extracting(Document::text)
                    .containsExactly("new");
        }
    }

    @Test
    void refusesVectorsOfAnotherModel() throws Exception {
        ingest(doc("a.md", "east", 1, 0, 0));
        try (VectorIndexWriter writer = VectorIndexWriter.open(dir)) {
            EmbeddedDocument other = new EmbeddedDocument(Document.of("x", "x.md"), "other-model", new float[]{1, 0, 0});
            assertThatThrownBy(() -> writer.add(other)).hasMessageContaining("holds vectors of test-model (3 dimensions)")
                    .hasMessageContaining("other-model (3 dimensions)");
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThatThrownBy(() -> index.search(new float[]{1, 0, 0, 0}, new IndexInfo(MODEL, 4), 5, 0))
                    .hasMessageContaining("the query is embedded with test-model (4 dimensions)");
            assertThat(index.size()).isEqualTo(1); // the refused batch was never committed
        }
    }

    @Test
    void takesTheWideVectorsOfRemoteModels() throws Exception {
        float[] wide = new float[3072]; // OpenAI's text-embedding-3-large; Lucene's own limit is 1024
        wide[7] = 1;
        try (VectorIndexWriter writer = VectorIndexWriter.open(dir)) {
            writer.add(new EmbeddedDocument(Document.of("wide", "w.md"), "remote:text-embedding-3-large", wide));
            writer.commit();
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.search(wide, index.info(), 5, 0.9)).extracting(Document::text).containsExactly("wide");
        }
    }

    @Test
    void sayWhatToDoWhenThereIsNoIndexYet() {
        assertThatThrownBy(() -> VectorIndex.open(dir.resolve("none"))).hasMessageContaining("no vector index at")
                .hasMessageContaining("run the ingestion flow first");
    }
}
