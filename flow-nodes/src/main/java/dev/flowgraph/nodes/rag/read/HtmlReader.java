package dev.flowgraph.nodes.rag.read;

import dev.flowgraph.core.doc.Document;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HTML with jsoup: the page's readable text (its main content when it marks one, without scripts, styles, navigation,
 * headers and footers), block by block; the title goes into the source ({@code page.html (Title)}).
 */
final class HtmlReader implements DocumentReader {
    private static final String NOT_CONTENT = "script, style, noscript, template, nav, header, footer, aside, form, svg";

    /** The page's lines, stripped, with runs of blank lines kept to one (a paragraph break). */
    static String readable(String whole) {
        StringBuilder out = new StringBuilder();
        boolean blank = false;
        for (String line : whole.lines().map(String::strip).toList()) {
            if (line.isEmpty()) {
                blank = !out.isEmpty();
            } else {
                out.append(blank ? "\n\n" : out.isEmpty() ? "" : "\n").append(line);
                blank = false;
            }
        }
        return out.toString();
    }

    @Override
    public Read read(Path file, byte[] bytes) throws IOException {
        org.jsoup.nodes.Document page = Jsoup.parse(TextReader.decode(bytes), file.toUri().toString());
        page.select(NOT_CONTENT).remove();
        Element content = page.selectFirst("main, article, [role=main]");
        if (content == null) {
            content = page.body();
        }
        String text = content == null ? "" : readable(content.wholeText());
        String name = file.getFileName().toString();
        if (text.isEmpty()) {
            return new Read(List.of(), List.of(name));
        }
        String title = page.title().strip();
        Map<String, String> meta = new HashMap<>(Map.of("file", name));
        if (!title.isEmpty()) {
            meta.put("title", title);
        }
        return Read.of(new Document(text, title.isEmpty() ? file.toString() : file + " (" + title + ")", meta));
    }
}
