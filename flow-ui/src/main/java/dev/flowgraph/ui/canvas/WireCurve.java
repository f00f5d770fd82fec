package dev.flowgraph.ui.canvas;

import dev.flowgraph.core.flow.Wire;
import javafx.geometry.Point2D;
import javafx.scene.control.Tooltip;
import javafx.scene.paint.Color;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.QuadCurveTo;

import java.util.ArrayList;
import java.util.List;

/** A wire on the canvas, drawn along its {@link WireRouter.Route}: an S-curve, or a lane with rounded corners. */
final class WireCurve extends Path {
    private static final double CORNER = 8;

    private final Wire wire;
    private final String typeLabel;
    private WireRouter.Route route;
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
        addEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, new javafx.event.EventHandler<>() {
            @Override
            public void handle(javafx.scene.input.MouseEvent e) {
                removeEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, this);
                Tooltip tip = new Tooltip();
                tip.setOnShowing(shown -> tip.setText(hoverText()));
                Tooltip.install(WireCurve.this, tip);
            }
        });
    }

    Wire wire() {
        return wire;
    }

    WireRouter.Route route() {
        return route;
    }

    /** An S-curve between two points (the wire being drawn by the pointer). */
    void connect(Point2D from, Point2D to) {
        show(WireRouter.curve(from, to));
    }

    void show(WireRouter.Route planned) {
        route = planned;
        List<Point2D> p = planned.points();
        List<PathElement> elements = new ArrayList<>();
        elements.add(new MoveTo(p.get(0).getX(), p.get(0).getY()));
        if (planned.curve()) {
            elements.add(new CubicCurveTo(p.get(1).getX(), p.get(1).getY(), p.get(2).getX(), p.get(2).getY(),
                    p.get(3).getX(), p.get(3).getY()));
        } else {
            for (int i = 1; i < p.size() - 1; i++) {
                Point2D corner = p.get(i);
                double r = Math.min(CORNER, Math.min(p.get(i - 1).distance(corner), corner.distance(p.get(i + 1))) / 2);
                Point2D in = towards(corner, p.get(i - 1), r);
                Point2D out = towards(corner, p.get(i + 1), r);
                elements.add(new LineTo(in.getX(), in.getY()));
                elements.add(new QuadCurveTo(corner.getX(), corner.getY(), out.getX(), out.getY()));
            }
            Point2D end = p.get(p.size() - 1);
            elements.add(new LineTo(end.getX(), end.getY()));
        }
        getElements().setAll(elements);
    }

    private static Point2D towards(Point2D from, Point2D to, double distance) {
        double length = from.distance(to);
        return length == 0 ? from : from.add(to.subtract(from).multiply(distance / length));
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

    void setSelected(boolean selected) {
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("selected"), selected);
    }
}
