package dev.flowgraph.ui.canvas;

import javafx.scene.paint.Color;

import java.util.Map;

/** The colour that marks a node category on cards and in the palette. */
public final class CategoryStyle {
    private static final Map<String, Color> KNOWN = Map.of(
            "Flow", Color.web("#5b7cfa"),
            "Prompt", Color.web("#e0a030"),
            "LLM", Color.web("#2eaa6e"),
            "Remote LLM", Color.web("#1f9bb5"),
            "Retrieval", Color.web("#a35bd6"),
            "Logic", Color.web("#d9534f"),
            "Text", Color.web("#7a9e3b"),
            "JSON", Color.web("#db61a2"),
            "Tools", Color.web("#c07a3a"),
            "Test", Color.web("#8a8f98"));
    private static final Color[] OTHERS = {
        Color.web("#d9534f"), Color.web("#c06c84"), Color.web("#6c8ebf"), Color.web("#7a9e3b")};

    private CategoryStyle() {
    }

    public static Color color(String category) {
        Color known = KNOWN.get(category);
        return known != null ? known : OTHERS[Math.floorMod(category.hashCode(), OTHERS.length)];
    }

    public static String css(String category) {
        Color c = color(category);
        return String.format("#%02x%02x%02x", (int) (c.getRed() * 255), (int) (c.getGreen() * 255),
                (int) (c.getBlue() * 255));
    }
}
