package dev.flowgraph.ui.canvas;

import dev.flowgraph.core.node.DataType;
import javafx.scene.paint.Color;

/** One colour per data type, used for ports and the wires that leave them. */
final class PortStyle {
    private PortStyle() {
    }

    static Color color(DataType type) {
        return switch (type) {
            case SIGNAL -> Color.web("#e5534b");
            case CHAT -> Color.web("#4c9aff");
            case TEXT -> Color.web("#3fb950");
            case DOCUMENTS -> Color.web("#d29922");
            case VECTORS -> Color.web("#a371f7");
            case JSON -> Color.web("#db61a2");
            case TOOL -> Color.web("#39c5cf");
            case ANY -> Color.web("#a0a7b4");
        };
    }
}
