package dev.flowgraph.ui.canvas;

import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown people write on notes, drawn as styled text: headings ({@code #}), bullets ({@code -} or {@code *}),
 * {@code **bold**}, {@code *italic*} and {@code `code`}. Anything else shows as written.
 */
final class MarkdownText {
    private static final Pattern INLINE = Pattern.compile("\\*\\*(.+?)\\*\\*|\\*(.+?)\\*|_(.+?)_|`(.+?)`");

    private MarkdownText() {
    }

    static TextFlow render(String markdown) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().add("note-text");
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String lineEnd = i < lines.length - 1 ? "\n" : "";
            int level = 0;
            while (level < line.length() && level < 3 && line.charAt(level) == '#') {
                level++;
            }
            if (level > 0 && line.length() > level && line.charAt(level) == ' ') {
                flow.getChildren().add(styled(line.substring(level + 1) + lineEnd, "note-h" + level));
                continue;
            }
            String body = line;
            if (line.startsWith("- ") || line.startsWith("* ")) {
                flow.getChildren().add(styled("• ", "note-plain"));
                body = line.substring(2);
            }
            flow.getChildren().addAll(inline(body + lineEnd));
        }
        return flow;
    }

    /** The pieces of one line with their inline styles. */
    static List<Text> inline(String text) {
        List<Text> out = new ArrayList<>();
        Matcher m = INLINE.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                out.add(styled(text.substring(at, m.start()), "note-plain"));
            }
            if (m.group(1) != null) {
                out.add(styled(m.group(1), "note-bold"));
            } else if (m.group(2) != null || m.group(3) != null) {
                out.add(styled(m.group(2) != null ? m.group(2) : m.group(3), "note-italic"));
            } else {
                out.add(styled(m.group(4), "note-code"));
            }
            at = m.end();
        }
        if (at < text.length()) {
            out.add(styled(text.substring(at), "note-plain"));
        }
        return out;
    }

    private static Text styled(String content, String styleClass) {
        Text t = new Text(content);
        t.getStyleClass().add(styleClass);
        return t;
    }
}
