package dev.flowgraph.ui.canvas;

import javafx.application.Platform;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.paint.Color;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The whole flow in miniature in a corner of the canvas, with the part in view outlined; clicking or dragging in it
 * moves the view there. It redraws at most once per pulse, however many cards moved.
 */
public final class Minimap extends Canvas {
    static final double WIDTH = 180;
    static final double HEIGHT = 120;
    private static final double MARGIN = 8;

    private final Supplier<List<Bounds>> cards;
    private final Supplier<Bounds> viewport;
    private final Consumer<Point2D> centreOn;
    private boolean dark;
    private boolean redrawQueued;
    /** The world area the miniature shows, and its scale, as last drawn. */
    private Bounds shown = new BoundingBox(0, 0, 1, 1);
    private double scale = 1;

    /**
     * @param cards    the cards' boxes in world coordinates
     * @param viewport the part of the world in view
     * @param centreOn moves the view so that this world point is in its middle
     */
    Minimap(Supplier<List<Bounds>> cards, Supplier<Bounds> viewport, Consumer<Point2D> centreOn) {
        super(WIDTH, HEIGHT);
        this.cards = cards;
        this.viewport = viewport;
        this.centreOn = centreOn;
        setId("minimap");
        getStyleClass().add("minimap");
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::moveView);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::moveView);
        addEventHandler(MouseEvent.MOUSE_RELEASED, MouseEvent::consume);
    }

    void setDark(boolean darkTheme) {
        this.dark = darkTheme;
        redraw();
    }

    /** Asks for a redraw on the next pulse (many calls in one pulse draw once). */
    void redraw() {
        if (!redrawQueued && isVisible()) {
            redrawQueued = true;
            Platform.runLater(this::draw);
        }
    }

    /** The world point a point of the miniature stands for. */
    public Point2D toWorld(double x, double y) {
        return new Point2D(shown.getMinX() + (x - MARGIN) / scale, shown.getMinY() + (y - MARGIN) / scale);
    }

    private void moveView(MouseEvent e) {
        if (getParent() != null) {
            getParent().requestFocus(); // the keys go on to the canvas
        }
        centreOn.accept(toWorld(e.getX(), e.getY()));
        e.consume();
    }

    private void draw() {
        redrawQueued = false;
        List<Bounds> boxes = cards.get();
        Bounds view = viewport.get();
        double minX = view.getMinX();
        double minY = view.getMinY();
        double maxX = view.getMaxX();
        double maxY = view.getMaxY();
        for (Bounds b : boxes) {
            minX = Math.min(minX, b.getMinX());
            minY = Math.min(minY, b.getMinY());
            maxX = Math.max(maxX, b.getMaxX());
            maxY = Math.max(maxY, b.getMaxY());
        }
        shown = new BoundingBox(minX, minY, Math.max(1, maxX - minX), Math.max(1, maxY - minY));
        scale = Math.min((WIDTH - 2 * MARGIN) / shown.getWidth(), (HEIGHT - 2 * MARGIN) / shown.getHeight());

        GraphicsContext g = getGraphicsContext2D();
        g.clearRect(0, 0, WIDTH, HEIGHT);
        g.setFill(dark ? Color.web("#22262dE6") : Color.web("#ffffffE6"));
        g.fillRoundRect(0, 0, WIDTH, HEIGHT, 8, 8);
        g.setStroke(dark ? Color.web("#444b56") : Color.web("#c9ced6"));
        g.strokeRoundRect(0.5, 0.5, WIDTH - 1, HEIGHT - 1, 8, 8);
        g.setFill(dark ? Color.web("#6b7482") : Color.web("#9aa3b0"));
        for (Bounds b : boxes) {
            g.fillRect(x(b.getMinX()), y(b.getMinY()), Math.max(2, b.getWidth() * scale), Math.max(2, b.getHeight() * scale));
        }
        g.setStroke(Color.web("#4c8dff"));
        g.setLineWidth(1.5);
        g.strokeRect(x(view.getMinX()), y(view.getMinY()), view.getWidth() * scale, view.getHeight() * scale);
    }

    private double x(double worldX) {
        return MARGIN + (worldX - shown.getMinX()) * scale;
    }

    private double y(double worldY) {
        return MARGIN + (worldY - shown.getMinY()) * scale;
    }
}
