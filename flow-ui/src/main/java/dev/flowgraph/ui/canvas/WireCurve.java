package dev.flowgraph.ui.canvas;

import javafx.scene.control.Tooltip;

import dev.flowgraph.core.flow.Wire;
import javafx.geometry.Point2D;
import javafx.scene.paint.Color;
import javafx.scene.shape.CubicCurve;

/** A wire drawn as a horizontal S-curve from an output port to an input port. */
final class WireCurve extends CubicCurve {
    private final Wire wire;
    private final String typeLabel;
    /** After a run: how many packets the wire carried, or null. */
    private Integer packets;

    WireCurve(Wire wire, Color color, String typeLabel) {
        this.wire = wire;
        this.typeLabel = typeLabel;
        getStyleClass().add("wire");
        setStroke(color);
        setFill(null);
        setStrokeWidth(2.5);
        setPickOnBounds(false);
        // Made on first hover (most wires of a big flow are never hovered), and read then: counts change per run.
        Tooltip tip = new Tooltip();
        tip.setOnShowing(e -> tip.setText(hoverText()));
        addEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, new javafx.event.EventHandler<>() {
            @Override
            public void handle(javafx.scene.input.MouseEvent e) {
                removeEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, this);
                Tooltip.install(WireCurve.this, tip);
            }
        });
    }

    /** What hovering the wire tells: its data type and, after a run, the packets it carried. */
    String hoverText() {
        return wire + " · " + typeLabel + (packets == null ? "" : " · " + packets + (packets == 1 ? " packet" : " packets"));
    }

    /** Shows the wire's part in the run on show: carried (stronger) or not (faded); null packets when unknown. */
    void setRun(boolean carried, Integer packets, boolean runShown) {
        this.packets = packets;
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("carried"), runShown && carried);
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("not-carried"), runShown && !carried);
    }

    /** Marks the wires of the selected node. */
    void setRelated(boolean related) {
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("related"), related);
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
