package dev.flowgraph.nodes.rag.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Picks the reader for a file by what it holds (a PDF's {@code %PDF-} header, an HTML page's first tag) and then by
 * its extension, so a PDF named {@code .txt} is still read as a PDF.
 */
public final class DocumentReaders {
    private static final DocumentReader TEXT = new TextReader();
    private static final DocumentReader PDF = new PdfReader();
    private static final DocumentReader HTML = new HtmlReader();

    private DocumentReaders() {
    }

    public static DocumentReader forFile(Path file, byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 512), StandardCharsets.ISO_8859_1)
                .stripLeading().toLowerCase(Locale.ROOT);
        if (head.startsWith("%pdf-")) {
            return PDF;
        }
        if (head.startsWith("<!doctype html") || head.startsWith("<html")) {
            return HTML;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pdf")) {
            return PDF; // no PDF header: the PDF reader says why it cannot read it
        }
        if (name.endsWith(".html") || name.endsWith(".htm") || name.endsWith(".xhtml")) {
            return HTML;
        }
        return TEXT;
    }
}
