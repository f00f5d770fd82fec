package dev.flowgraph.core.doc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A piece of text and where it came from: a loaded file, a chunk of one, or a retrieved passage. Travels on
 * {@link dev.flowgraph.core.node.DataType#DOCUMENTS} wires, one per delta.
 *
 * @param source   where the text came from (a file path for loaded documents)
 * @param metadata small string facts about the text: {@code chunk} (its number within the source), {@code score}
 *                 (for retrieved passages), whatever a loader knows
 */
public record Document(String text, String source, Map<String, String> metadata) {
    public static final String CHUNK = "chunk";
    public static final String SCORE = "score";

    public Document {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static Document of(String text, String source) {
        return new Document(text, source, Map.of());
    }

    /** The same document with one more metadata entry. */
    public Document with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(metadata);
        more.put(key, value);
        return new Document(text, source, more);
    }

    /** The {@code n}th chunk of this document. */
    public Document chunk(String chunkText, int n) {
        return new Document(chunkText, source, metadata).with(CHUNK, Integer.toString(n));
    }

    /** How closely a retrieved passage matched its query (cosine similarity), when it was retrieved. */
    public OptionalDouble score() {
        String score = metadata.get(SCORE);
        return score == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(score));
    }

    /** A retrieved passage: the document with its score. */
    public Document scored(double score) {
        return with(SCORE, Double.toString(score));
    }
}
