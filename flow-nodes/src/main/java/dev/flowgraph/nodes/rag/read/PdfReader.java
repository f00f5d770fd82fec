package dev.flowgraph.nodes.rag.read;

import dev.flowgraph.core.doc.Document;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PDF with Apache PDFBox: one document per page, its source the file and the page ({@code guide.pdf#page=3}). A page
 * with no text (a scan, a picture) is named among the empty parts, so the user learns it was not read.
 */
final class PdfReader implements DocumentReader {

    @Override
    public Read read(Path file, byte[] bytes) throws IOException {
        String name = file.getFileName().toString();
        List<Document> pages = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            int count = pdf.getNumberOfPages();
            for (int page = 1; page <= count; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = stripper.getText(pdf).strip();
                if (text.isEmpty()) {
                    empty.add(name + " page " + page);
                } else {
                    pages.add(new Document(text, file + "#page=" + page,
                            Map.of("file", name, "page", String.valueOf(page))));
                }
            }
        } catch (InvalidPasswordException e) {
            throw new IOException("the PDF is encrypted", e);
        } catch (IOException e) {
            throw new IOException("not a readable PDF (" + e.getMessage() + ")", e);
        }
        return new Read(pages, empty);
    }
}
