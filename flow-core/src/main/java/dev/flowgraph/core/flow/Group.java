package dev.flowgraph.core.flow;

import java.util.List;
import java.util.Objects;

/**
 * A titled, coloured frame around some nodes, for readers of a big flow; its frame follows its nodes. Collapsed, the
 * editor shows it as one card. The runtime ignores groups.
 *
 * @param color     a CSS colour such as {@code #4c8dff}
 * @param nodes     the ids of the nodes inside it
 * @param collapsed whether the editor shows it as one card
 */
public record Group(String id, String title, String color, List<String> nodes, boolean collapsed) {
    public static final String DEFAULT_COLOR = "#4c8dff";

    public Group {
        Objects.requireNonNull(id, "id");
        title = title == null ? "" : title;
        color = color == null || color.isBlank() ? DEFAULT_COLOR : color;
        nodes = List.copyOf(nodes);
    }

    public Group withNodes(List<String> replaced) {
        return new Group(id, title, color, replaced, collapsed);
    }

    public Group withCollapsed(boolean value) {
        return new Group(id, title, color, nodes, value);
    }

    public Group withTitle(String value) {
        return new Group(id, value, color, nodes, collapsed);
    }
}
