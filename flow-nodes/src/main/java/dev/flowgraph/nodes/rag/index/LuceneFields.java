package dev.flowgraph.nodes.rag.index;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.doc.EmbeddedDocument;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.VectorSimilarityFunction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** How a document is laid out in Lucene: its source (for replacing a file's chunks), text, metadata and vector. */
final class LuceneFields {
    static final String SOURCE = "source";
    static final String TEXT = "text";
    static final String METADATA = "metadata";
    static final String VECTOR = "vector";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private LuceneFields() {
    }

    static org.apache.lucene.document.Document toLucene(EmbeddedDocument embedded) {
        Document doc = embedded.document();
        org.apache.lucene.document.Document lucene = new org.apache.lucene.document.Document();
        lucene.add(new StringField(SOURCE, doc.source(), Field.Store.YES));
        lucene.add(new StoredField(TEXT, doc.text()));
        try {
            lucene.add(new StoredField(METADATA, JSON.writeValueAsString(doc.metadata())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lucene.add(new KnnFloatVectorField(VECTOR, embedded.vector(), VectorSimilarityFunction.COSINE));
        return lucene;
    }

    static Document fromLucene(org.apache.lucene.document.Document lucene) {
        try {
            return new Document(lucene.get(TEXT), lucene.get(SOURCE), JSON.readValue(lucene.get(METADATA), STRING_MAP));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lucene scores cosine similarity as (1 + cos) / 2; thresholds and results speak cosine, as LlamaEdge does. */
    static double cosine(float luceneScore) {
        return 2.0 * luceneScore - 1.0;
    }
}
