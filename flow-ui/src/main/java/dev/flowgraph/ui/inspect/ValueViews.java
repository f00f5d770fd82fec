package dev.flowgraph.ui.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.doc.EmbeddedDocument;
import javafx.scene.Node;
import javafx.scene.control.TextArea;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns what passed over a wire into something to read: text as it streamed, chat requests as their messages, JSON
 * values as a foldable tree, documents with their source and score.
 */
final class ValueViews {
    /** JSON trees open this deep; deeper levels wait for a click. */
    private static final int OPEN_DEPTH = 2;

    private ValueViews() {
    }

    /** A view of an output's pieces; {@code id} names it for tests and screen readers. */
    static Node view(PortLog log, String id) {
        List<PortLog.Piece> pieces = log.pieces();
        if (!pieces.isEmpty() && pieces.stream().allMatch(p -> p.value() instanceof JsonNode)) {
            TreeItem<String> root = new TreeItem<>(pieces.size() == 1 ? "value" : pieces.size() + " values");
            root.setExpanded(true);
            for (int i = 0; i < pieces.size(); i++) {
                TreeItem<String> item = json(pieces.size() == 1 ? "" : "[" + i + "]", (JsonNode) pieces.get(i).value(), 1);
                if (pieces.size() == 1) {
                    root = item;
                    break;
                }
                root.getChildren().add(item);
            }
            TreeView<String> tree = new TreeView<>(root);
            tree.setId(id);
            tree.setPrefHeight(Math.min(320, 26.0 * (countOpen(root) + 1)));
            return tree;
        }
        return text(log.isText() ? log.text() : describe(pieces), id);
    }

    /** A text area, or for long text a view that draws only the lines in sight. */
    static Node text(String text, String id) {
        return text.length() > LongTextView.LONG ? new LongTextView(text, id) : textArea(text, id);
    }

    static TextArea textArea(String text, String id) {
        TextArea area = new TextArea(text);
        area.setId(id);
        area.setEditable(false);
        area.setWrapText(true);
        long lines = text.chars().filter(c -> c == '\n').count() + 1 + text.length() / 90;
        area.setPrefRowCount((int) Math.max(2, Math.min(14, lines)));
        return area;
    }

    /** Non-text pieces, one block each. */
    static String describe(List<PortLog.Piece> pieces) {
        StringBuilder out = new StringBuilder();
        for (PortLog.Piece piece : pieces) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(describe(piece.value()));
        }
        return out.toString();
    }

    static String describe(Object value) {
        if (value instanceof ChatRequest request) {
            return messages(request.messages()) + (request.session() == null ? "" : "\n(session " + request.session() + ")");
        }
        if (value instanceof EmbeddedDocument embedded) {
            return describe(embedded.document()) + "\n  (vector of " + embedded.vector().length + ", " + embedded.model() + ")";
        }
        if (value instanceof Document doc) {
            String score = doc.score().isPresent() ? String.format(" · score %.3f", doc.score().getAsDouble()) : "";
            return "▸ " + doc.source() + score + "\n  " + doc.text().strip().replace("\n", "\n  ");
        }
        if (value instanceof JsonNode json) {
            return json.toPrettyString();
        }
        return String.valueOf(value);
    }

    static String messages(List<ChatMessage> messages) {
        StringBuilder out = new StringBuilder();
        for (ChatMessage m : messages) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(m.role().name().toLowerCase(java.util.Locale.ROOT)).append(": ").append(m.content());
        }
        return out.toString();
    }

    private static TreeItem<String> json(String name, JsonNode node, int depth) {
        String prefix = name.isEmpty() ? "" : name + ": ";
        TreeItem<String> item;
        if (node.isObject()) {
            item = new TreeItem<>(prefix + "{" + node.size() + "}");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                item.getChildren().add(json(field.getKey(), field.getValue(), depth + 1));
            }
        } else if (node.isArray()) {
            item = new TreeItem<>(prefix + "[" + node.size() + "]");
            for (int i = 0; i < node.size(); i++) {
                item.getChildren().add(json(String.valueOf(i), node.get(i), depth + 1));
            }
        } else {
            item = new TreeItem<>(prefix + node);
        }
        item.setExpanded(depth <= OPEN_DEPTH);
        return item;
    }

    private static int countOpen(TreeItem<String> item) {
        int n = 1;
        if (item.isExpanded()) {
            for (TreeItem<String> child : item.getChildren()) {
                n += countOpen(child);
            }
        }
        return n;
    }
}
