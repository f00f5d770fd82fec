package dev.flowgraph.nodes.rag.read;

import dev.flowgraph.core.doc.Document;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Turns one file of a kind (text, PDF, HTML) into documents. */
public interface DocumentReader {

    /**
     * What {@code file} holds, as documents (a PDF gives one per page); empty pages are left out and counted.
     *
     * @throws IOException with a reason fit to name beside the file (not UTF-8 text, not a PDF...)
     */
    Read read(Path file, byte[] bytes) throws IOException;

    /**
     * @param documents  the file's documents, in order
     * @param emptyParts the parts that had no text to read (a scanned PDF page), named for the user
     */
    record Read(List<Document> documents, List<String> emptyParts) {
        public Read {
            documents = List.copyOf(documents);
            emptyParts = List.copyOf(emptyParts);
        }

        public static Read of(Document document) {
            return new Read(List.of(document), List.of());
        }
    }
}
