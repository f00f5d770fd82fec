package dev.flowgraph.ui.canvas;

import dev.flowgraph.core.flow.Wire;
import javafx.geometry.Point2D;
import javafx.scene.paint.Color;
import javafx.scene.shape.CubicCurve;

/** A wire drawn as a horizontal S-curve from an output port to an input port. */
final class WireCurve extends CubicCurve {
    private final Wire wire;

    WireCurve(Wire wire, Color color) {
        this.wire = wire;
        getStyleClass().add("wire");
        setStroke(color);
        setFill(null);
        setStrokeWidth(2.5);
        setPickOnBounds(false);
    }

    Wire wire() {
        return wire;
    }

    void connect(Point2D from, Point2D to) {
        double pull = Math.max(40, Math.abs(to.getX() - from.getX()) / 2);
        setStartX(from.getX());
        setStartY(from.getY());
        setControlX1(from.getX() + pull);
        setControlY1(from.getY());
        setControlX2(to.getX() - pull);
        setControlY2(to.getY());
        setEndX(to.getX());
        setEndY(to.getY());
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("selected"), selected);
    }
}
