package dev.flowgraph.ui.canvas;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.ui.model.FlowEdits;
import javafx.animation.PauseTransition;
import javafx.geometry.BoundingBox;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import javafx.util.Duration;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mouse and wheel on the canvas: move nodes, draw and pick up wires, rubber-band select, pan and zoom. One
 * gesture is active from press to release; the document changes once, when it ends.
 */
final class CanvasGestures {
    private final FlowCanvas canvas;
    private Gesture active;
    private boolean spaceDown;

    CanvasGestures(FlowCanvas canvas) {
        this.canvas = canvas;
    }

    void install() {
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (active != null) {
                active.drag(e);
            }
        });
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            if (active != null) {
                Gesture g = active;
                active = null;
                g.release(e);
            }
        });
        canvas.addEventHandler(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0) {
                canvas.zoomAt(new Point2D(e.getX(), e.getY()), Math.exp(e.getDeltaY() * 0.0025));
                e.consume();
            }
        });
        canvas.addEventHandler(KeyEvent.KEY_PRESSED, e -> spaceDown |= e.getCode() == KeyCode.SPACE);
        canvas.addEventHandler(KeyEvent.KEY_RELEASED, e -> spaceDown &= e.getCode() != KeyCode.SPACE);
    }

    private interface Gesture {
        void drag(MouseEvent e);

        void release(MouseEvent e);
    }

    private void pressed(MouseEvent e) {
        canvas.requestFocus();
        canvas.messageProperty().set("");
        Node target = e.getPickResult().getIntersectedNode();
        if (e.getButton() == MouseButton.MIDDLE || e.getButton() == MouseButton.SECONDARY
                || (e.getButton() == MouseButton.PRIMARY && spaceDown)) {
            active = new Pan(e);
            return;
        }
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        if (target instanceof Circle dot && dot.getUserData() instanceof PortRef port) {
            active = startWire(port, dot.getStyleClass().contains("output-port"), e);
            return;
        }
        if (target instanceof WireCurve curve) {
            canvas.wireClicked(curve.wire());
            return;
        }
        Optional<NoteCard> note = enclosing(target, NoteCard.class);
        if (note.isPresent()) {
            canvas.selectNote(note.get().noteId());
            if (e.getClickCount() == 2) {
                note.get().edit();
            } else if (!(target instanceof javafx.scene.control.TextInputControl) && enclosing(target,
                    javafx.scene.control.TextArea.class).isEmpty()) {
                active = new MoveNote(note.get(), e);
            }
            return;
        }
        Optional<GroupFrame> frame = enclosing(target, GroupFrame.class);
        if (frame.isPresent() && enclosing(target, javafx.scene.control.TextField.class).isEmpty()) {
            GroupFrame f = frame.get();
            if (f.isToggle(target)) {
                canvas.document().apply(f.isCollapsed() ? "Expand group" : "Collapse group",
                        flow -> dev.flowgraph.ui.model.AnnotationEdits.setCollapsed(flow, f.groupId(), !f.isCollapsed()));
                return;
            }
            if (e.getClickCount() == 2) {
                f.editTitle(title -> canvas.document().apply("Rename group",
                        flow -> dev.flowgraph.ui.model.AnnotationEdits.retitle(flow, f.groupId(), title)));
                return;
            }
            // The title bar is the group's handle: its nodes move together.
            canvas.select(Set.copyOf(f.group().nodes()));
            active = new MoveNodes(e);
            return;
        }
        Optional<NodeCard> card = enclosingCard(target);
        if (card.isPresent()) {
            String id = card.get().nodeId();
            canvas.selectedWireProperty().set(null);
            if (e.isShortcutDown() || e.isShiftDown()) {
                if (!canvas.selection().remove(id)) {
                    canvas.selection().add(id);
                }
            } else if (!canvas.selection().contains(id)) {
                canvas.select(Set.of(id));
            }
            card.get().toFront();
            if (e.getClickCount() == 2) {
                canvas.cardOpened(id);
                return;
            }
            if (canvas.selection().contains(id)) {
                active = new MoveNodes(e);
            }
            return;
        }
        if (!e.isShiftDown() && !e.isShortcutDown()) {
            canvas.select(Set.of());
            canvas.selectedNoteProperty().set(null);
        }
        if (e.getClickCount() == 2) {
            canvas.requestQuickAdd(canvas.toWorld(e.getSceneX(), e.getSceneY()), null, false);
            return;
        }
        active = new RubberBand(e);
    }

    private static <T> Optional<T> enclosing(Node node, Class<T> type) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (type.isInstance(n)) {
                return Optional.of(type.cast(n));
            }
        }
        return Optional.empty();
    }

    /** Drags a note; it snaps to the 10 px grid and moves in the document once, on release. */
    private final class MoveNote implements Gesture {
        private final NoteCard note;
        private final Point2D start;
        private final Position origin;
        private Position moved;

        MoveNote(NoteCard note, MouseEvent e) {
            this.note = note;
            this.start = canvas.toWorld(e.getSceneX(), e.getSceneY());
            this.origin = new Position(note.getLayoutX(), note.getLayoutY());
        }

        @Override
        public void drag(MouseEvent e) {
            Point2D now = canvas.toWorld(e.getSceneX(), e.getSceneY());
            moved = FlowCanvas.snap(origin.x() + now.getX() - start.getX(), origin.y() + now.getY() - start.getY());
            note.relocate(moved.x(), moved.y());
        }

        @Override
        public void release(MouseEvent e) {
            if (moved != null && !moved.equals(origin)) {
                Position to = moved;
                canvas.document().apply("Move note",
                        flow -> dev.flowgraph.ui.model.AnnotationEdits.moveNote(flow, note.noteId(), to));
            }
        }
    }

    private static Optional<NodeCard> enclosingCard(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n instanceof NodeCard card) {
                return Optional.of(card);
            }
        }
        return Optional.empty();
    }

    private Gesture startWire(PortRef port, boolean output, MouseEvent e) {
        if (!output) {
            Optional<Wire> existing = canvas.wireInto(port);
            if (existing.isPresent()) {
                // Grabbing a wired input picks the wire up by its end: drop it elsewhere to rewire, on nothing to remove.
                return new DrawWire(existing.get().from(), true, existing.get(), e);
            }
        }
        return new DrawWire(port, output, null, e);
    }

    /** Drags the selected cards; they snap to the 10 px grid. */
    private final class MoveNodes implements Gesture {
        private final Point2D start;
        private final Map<String, Position> origins = new HashMap<>();
        private Map<String, Position> moved = Map.of();

        MoveNodes(MouseEvent e) {
            start = canvas.toWorld(e.getSceneX(), e.getSceneY());
            for (String id : canvas.selection()) {
                canvas.card(id).ifPresent(c -> origins.put(id, new Position(c.getLayoutX(), c.getLayoutY())));
            }
        }

        @Override
        public void drag(MouseEvent e) {
            Point2D now = canvas.toWorld(e.getSceneX(), e.getSceneY());
            double dx = now.getX() - start.getX();
            double dy = now.getY() - start.getY();
            Map<String, Position> next = new HashMap<>();
            origins.forEach((id, p) -> next.put(id, FlowCanvas.snap(p.x() + dx, p.y() + dy)));
            moved = next;
            canvas.previewMove(next);
        }

        @Override
        public void release(MouseEvent e) {
            if (moved.isEmpty() || moved.equals(origins)) {
                return;
            }
            String label = moved.size() == 1 ? "Move node" : "Move " + moved.size() + " nodes";
            Map<String, Position> positions = moved;
            canvas.document().apply(label, flow -> FlowEdits.moveNodes(flow, positions));
        }
    }

    /** A wire being drawn from a port (or picked up by its end) and dropped on a port of the other kind. */
    private final class DrawWire implements Gesture {
        private final PortRef anchor;
        private final boolean anchorIsOutput;
        private final Wire detached;
        private final WireCurve preview;

        DrawWire(PortRef anchor, boolean anchorIsOutput, Wire detached, MouseEvent e) {
            this.anchor = anchor;
            this.anchorIsOutput = anchorIsOutput;
            this.detached = detached;
            this.preview = new WireCurve(new Wire(anchor, anchor), canvas.portColor(anchor, anchorIsOutput), "");
            preview.getStyleClass().add("wire-preview");
            preview.setMouseTransparent(true);
            canvas.overlay().getChildren().add(preview);
            drag(e);
        }

        @Override
        public void drag(MouseEvent e) {
            Point2D mouse = canvas.toWorld(e.getSceneX(), e.getSceneY());
            Point2D fixed = canvas.portPoint(anchor, anchorIsOutput).orElse(mouse);
            if (anchorIsOutput) {
                preview.connect(fixed, mouse);
            } else {
                preview.connect(mouse, fixed);
            }
        }

        @Override
        public void release(MouseEvent e) {
            canvas.overlay().getChildren().remove(preview);
            Point2D mouse = canvas.toWorld(e.getSceneX(), e.getSceneY());
            Optional<PortRef> target = canvas.portAt(mouse, !anchorIsOutput);
            FlowDocument flow = canvas.document().flow();
            FlowDocument base = detached == null ? flow : FlowEdits.removeWires(flow, Set.of(detached));
            if (target.isEmpty()) {
                if (detached != null) {
                    canvas.document().apply("Unwire " + detached, f -> FlowEdits.removeWires(f, Set.of(detached)));
                } else if (canvas.cardAt(mouse).isEmpty()) {
                    // A new wire dropped on empty canvas: offer the node types that could take it there.
                    canvas.requestQuickAdd(mouse, anchor, anchorIsOutput);
                }
                return;
            }
            Wire wire = anchorIsOutput ? new Wire(anchor, target.get()) : new Wire(target.get(), anchor);
            Optional<String> refusal = canvas.rules().refusal(base, wire);
            if (refusal.isPresent()) {
                refuse(refusal.get(), mouse);
                return;
            }
            String label = detached == null ? "Wire " + wire : "Rewire " + wire;
            canvas.document().apply(label, f -> FlowEdits.connect(
                    detached == null ? f : FlowEdits.removeWires(f, Set.of(detached)), wire,
                    canvas.rules().takesMany(f, wire.to())));
        }
    }

    /** Says why a wire was refused, in the status bar and for a few seconds where it was dropped. */
    private void refuse(String reason, Point2D at) {
        canvas.messageProperty().set(reason);
        Label note = new Label("Cannot wire: " + reason);
        note.getStyleClass().add("refusal");
        note.setId("wire-refusal");
        note.relocate(at.getX() + 12, at.getY() + 8);
        note.setMouseTransparent(true);
        canvas.overlay().getChildren().add(note);
        PauseTransition hide = new PauseTransition(Duration.seconds(4));
        hide.setOnFinished(ev -> canvas.overlay().getChildren().remove(note));
        hide.play();
    }

    /** Selects the cards a dragged rectangle touches. */
    private final class RubberBand implements Gesture {
        private final Point2D start;
        private final Rectangle band = new Rectangle();
        private final Set<String> before;

        RubberBand(MouseEvent e) {
            start = canvas.toWorld(e.getSceneX(), e.getSceneY());
            before = new HashSet<>(canvas.selection());
            band.getStyleClass().add("rubber-band");
            band.setMouseTransparent(true);
        }

        @Override
        public void drag(MouseEvent e) {
            if (band.getParent() == null) {
                canvas.overlay().getChildren().add(band);
            }
            Point2D now = canvas.toWorld(e.getSceneX(), e.getSceneY());
            band.setX(Math.min(start.getX(), now.getX()));
            band.setY(Math.min(start.getY(), now.getY()));
            band.setWidth(Math.abs(now.getX() - start.getX()));
            band.setHeight(Math.abs(now.getY() - start.getY()));
            Set<String> chosen = new HashSet<>(before);
            canvas.cardsIn(new BoundingBox(band.getX(), band.getY(), band.getWidth(), band.getHeight()))
                    .forEach(c -> chosen.add(c.nodeId()));
            canvas.select(chosen);
        }

        @Override
        public void release(MouseEvent e) {
            canvas.overlay().getChildren().remove(band);
        }
    }

    /** Moves the view; the flow does not change. */
    private final class Pan implements Gesture {
        private double lastX;
        private double lastY;

        Pan(MouseEvent e) {
            lastX = e.getSceneX();
            lastY = e.getSceneY();
        }

        @Override
        public void drag(MouseEvent e) {
            canvas.pan().setX(canvas.pan().getX() + e.getSceneX() - lastX);
            canvas.pan().setY(canvas.pan().getY() + e.getSceneY() - lastY);
            lastX = e.getSceneX();
            lastY = e.getSceneY();
        }

        @Override
        public void release(MouseEvent e) {
            // nothing to commit
        }
    }
}
