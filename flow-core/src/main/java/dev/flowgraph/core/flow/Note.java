package dev.flowgraph.core.flow;

import java.util.Objects;

/**
 * A sticky note on the canvas: Markdown text for the people reading the flow. The runtime ignores notes.
 *
 * @param position its top left corner
 */
public record Note(String id, Position position, double width, double height, String text) {
    public static final double DEFAULT_WIDTH = 240;
    public static final double DEFAULT_HEIGHT = 140;

    public Note {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(position, "position");
        text = text == null ? "" : text;
        width = width > 0 ? width : DEFAULT_WIDTH;
        height = height > 0 ? height : DEFAULT_HEIGHT;
    }

    public Note withText(String replaced) {
        return new Note(id, position, width, height, replaced);
    }

    public Note at(Position moved) {
        return new Note(id, moved, width, height, text);
    }
}
