package dev.flowgraph.ui.canvas;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.validate.Problem;
import dev.flowgraph.ui.inspect.InspectedRun;
import dev.flowgraph.ui.model.EditorDocument;
import dev.flowgraph.ui.model.WireRules;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import javafx.collections.SetChangeListener;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The drawing surface: node cards and wires over a grid, with zoom and pan. It shows the {@link EditorDocument}'s
 * current flow, updating only the cards and wires that changed, and turns gestures into edits of that document.
 */
public final class FlowCanvas extends Region {
    static final double MIN_ZOOM = 0.2;
    static final double MAX_ZOOM = 3;
    /** From this zoom on, cards in view show their ports and status line; further out they are boxes with a title. */
    static final double DETAIL_ZOOM = 0.4;
    private static final double GRID = 20;

    private final NodeRegistry registry;
    private final EditorDocument document;
    private final WireRules rules;
    private final Canvas grid = new Canvas();
    private final Group world = new Group();
    private final Group groupLayer = new Group();
    private final Group noteLayer = new Group();
    private final Group wireLayer = new Group();
    private final Group cardLayer = new Group();
    private final Group overlay = new Group();
    private final Translate pan = new Translate();
    private final Scale scale = new Scale(1, 1, 0, 0);
    private final Rectangle clip = new Rectangle();
    private final Minimap minimap;
    private final Map<String, NodeCard> cards = new HashMap<>();
    /** Cards that do not show their detail yet (see {@link NodeCard#showDetail()}). */
    private final Set<NodeCard> plainCards = new HashSet<>();
    private final CardIndex cardIndex = new CardIndex(cards.values());
    /** Each node's wires, to restyle only those when the selection changes. */
    private final Map<String, List<WireCurve>> wiresOf = new HashMap<>();
    private final Map<Wire, WireCurve> curves = new HashMap<>();
    private final Map<String, NoteCard> notes = new HashMap<>();
    private final Map<String, GroupFrame> frames = new HashMap<>();
    /** Each node hidden inside a collapsed group, with its group's frame. */
    private final Map<String, GroupFrame> collapsedInto = new HashMap<>();
    private final ObjectProperty<String> selectedNote = new SimpleObjectProperty<>();
    private java.util.function.Consumer<String> cardOpened = id -> {
    };
    private QuickAddRequest quickAdd = (at, local, anchor, output) -> {
    };
    /** Where the pointer last was over the canvas (local coordinates), for adding nodes where the user looks. */
    private Point2D pointer;
    private final ObservableSet<String> selection = FXCollections.observableSet(new LinkedHashSet<>());
    private final ObjectProperty<Wire> selectedWire = new SimpleObjectProperty<>();
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty darkGrid = new SimpleBooleanProperty();
    /** The run whose results the cards and wires show, or null. */
    private InspectedRun shownRun;

    public FlowCanvas(NodeRegistry registry, EditorDocument document) {
        this.registry = registry;
        this.document = document;
        this.rules = new WireRules(registry, this::scope);
        getStyleClass().add("flow-canvas");
        setId("canvas");
        setFocusTraversable(true);
        world.getTransforms().addAll(pan, scale);
        world.getChildren().addAll(groupLayer, noteLayer, wireLayer, cardLayer, overlay);
        grid.setMouseTransparent(true);
        minimap = new Minimap(() -> cards.values().stream().filter(NodeCard::isVisible).map(NodeCard::box).toList(),
                this::viewport, this::centreOn);
        getChildren().addAll(grid, world, minimap);
        setClip(clip);
        setMinSize(200, 200);

        document.flowProperty().addListener((obs, old, flow) -> show(flow));
        selection.addListener((SetChangeListener<String>) change -> {
            if (change.wasRemoved() && cards.containsKey(change.getElementRemoved())) {
                cards.get(change.getElementRemoved()).setSelected(false);
            }
            if (change.wasAdded() && cards.containsKey(change.getElementAdded())) {
                cards.get(change.getElementAdded()).setSelected(true);
            }
            markRelatedWires(change.wasAdded() ? change.getElementAdded() : change.getElementRemoved());
        });
        selectedNote.addListener((obs, old, id) -> {
            if (old != null && notes.containsKey(old)) {
                notes.get(old).setSelected(false);
            }
            if (id != null && notes.containsKey(id)) {
                notes.get(id).setSelected(true);
            }
        });
        selectedWire.addListener((obs, old, wire) -> {
            if (old != null && curves.containsKey(old)) {
                curves.get(old).setSelected(false);
            }
            if (wire != null && curves.containsKey(wire)) {
                curves.get(wire).setSelected(true);
            }
        });
        pan.xProperty().addListener(o -> drawGrid());
        pan.yProperty().addListener(o -> drawGrid());
        scale.xProperty().addListener(o -> drawGrid());
        darkGrid.addListener(o -> drawGrid());
        pan.xProperty().addListener(o -> showDetailInView());
        pan.yProperty().addListener(o -> showDetailInView());
        scale.xProperty().addListener(o -> showDetailInView());
        pan.xProperty().addListener(o -> minimap.redraw());
        pan.yProperty().addListener(o -> minimap.redraw());
        scale.xProperty().addListener(o -> minimap.redraw());
        darkGrid.addListener(o -> minimap.setDark(darkGrid.get()));
        minimap.visibleProperty().addListener(o -> minimap.redraw());
        new CanvasGestures(this).install();
        addEventHandler(javafx.scene.input.MouseEvent.MOUSE_MOVED, e -> pointer = new Point2D(e.getX(), e.getY()));
        show(document.flow());
    }

    // ---- what the rest of the editor uses ----

    public EditorDocument document() {
        return document;
    }

    public NodeRegistry registry() {
        return registry;
    }

    WireRules rules() {
        return rules;
    }

    /** The ids of the selected nodes. */
    public ObservableSet<String> selection() {
        return selection;
    }

    public ObjectProperty<Wire> selectedWireProperty() {
        return selectedWire;
    }

    /** The last thing the canvas has to tell the user (a refused wire's reason), empty when nothing. */
    public StringProperty messageProperty() {
        return message;
    }

    public BooleanProperty darkGridProperty() {
        return darkGrid;
    }

    public double zoom() {
        return scale.getX();
    }

    /** A node's ports as its card shows them (computed from its settings); none for a node not on the canvas. */
    public NodePorts portsOf(String nodeId) {
        NodeCard card = cards.get(nodeId);
        return card == null ? new NodePorts(List.of(), List.of()) : card.ports();
    }

    /** The selected note's id, or null. */
    public ObjectProperty<String> selectedNoteProperty() {
        return selectedNote;
    }

    public Optional<NoteCard> note(String noteId) {
        return Optional.ofNullable(notes.get(noteId));
    }

    public Optional<GroupFrame> groupFrame(String groupId) {
        return Optional.ofNullable(frames.get(groupId));
    }

    /** Selects a note (and nothing else). */
    public void selectNote(String noteId) {
        selection.clear();
        selectedWire.set(null);
        selectedNote.set(noteId);
    }

    public Optional<NodeCard> card(String nodeId) {
        return Optional.ofNullable(cards.get(nodeId));
    }

    /** Asks for a node type to add at a point: double-click on empty canvas, or a wire dropped on nothing. */
    @FunctionalInterface
    public interface QuickAddRequest {
        /**
         * @param at     where the new card goes (world coordinates)
         * @param local  the point on the canvas, to show the search box at
         * @param anchor the port the dropped wire starts from, or null
         * @param anchorIsOutput whether {@code anchor} is an output
         */
        void open(Position at, Point2D local, PortRef anchor, boolean anchorIsOutput);
    }

    public void setOnQuickAdd(QuickAddRequest handler) {
        this.quickAdd = handler;
    }

    void requestQuickAdd(Point2D world, PortRef anchor, boolean anchorIsOutput) {
        quickAdd.open(snap(world.getX(), world.getY()), this.world.localToParent(world), anchor, anchorIsOutput);
    }

    /** Opens the search box for a node type at the pointer (or the middle of the view). */
    public void requestQuickAdd() {
        Point2D local = pointer != null ? pointer : new Point2D(getWidth() / 2, getHeight() / 2);
        Point2D w = this.world.parentToLocal(local);
        quickAdd.open(snap(w.getX(), w.getY()), local, null, false);
    }

    /** Shows a control floating over the canvas at a local point, kept inside the canvas (the quick-add box). */
    public void showFloating(javafx.scene.Node node, Point2D local) {
        if (!getChildren().contains(node)) {
            getChildren().add(node);
        }
        node.applyCss();
        node.autosize();
        double w = node.getLayoutBounds().getWidth();
        double h = node.getLayoutBounds().getHeight();
        node.relocate(Math.max(0, Math.min(local.getX(), getWidth() - w)), Math.max(0, Math.min(local.getY(), getHeight() - h)));
    }

    public void hideFloating(javafx.scene.Node node) {
        getChildren().remove(node);
    }

    /** Called with a node's id when its card is double-clicked (a Sub-flow opens its flow), on the FX thread. */
    public void setOnCardOpened(java.util.function.Consumer<String> handler) {
        this.cardOpened = handler;
    }

    void cardOpened(String nodeId) {
        cardOpened.accept(nodeId);
    }

    public int wireCount() {
        return curves.size();
    }

    public void select(Set<String> ids) {
        selectedWire.set(null);
        if (!ids.isEmpty()) {
            selectedNote.set(null);
        }
        selection.retainAll(ids);
        selection.addAll(ids);
    }

    public void selectAll() {
        select(cards.keySet());
    }

    /** Marks each card with the problems that concern it. */
    public void showProblems(List<Problem> problems) {
        Map<String, List<Problem>> byNode = problems.stream().filter(p -> p.nodeId() != null)
                .collect(Collectors.groupingBy(Problem::nodeId));
        cards.forEach((id, card) -> card.setProblems(byNode.getOrDefault(id, List.of())));
    }

    public void showState(String nodeId, NodeCard.State state, String detail) {
        NodeCard card = cards.get(nodeId);
        if (card != null) {
            card.setState(state, detail);
        }
    }

    /** Shows a run on the flow: each reached node's time and tokens, the wires it came down, the rest dimmed. */
    public void showRun(InspectedRun run) {
        shownRun = run;
        cards.values().forEach(this::showRunOn);
        curves.values().forEach(this::showRunOn);
    }

    /** Back to the plain flow, without a run's results. */
    public void clearRun() {
        showRun(null);
    }

    public Optional<InspectedRun> shownRun() {
        return Optional.ofNullable(shownRun);
    }

    /** What hovering a wire tells (its type, and the packets it carried in the run on show). */
    public Optional<String> wireHoverText(Wire wire) {
        return Optional.ofNullable(curves.get(wire)).map(WireCurve::hoverText);
    }

    /** Whether a wire is drawn as carrying the run on show. */
    public boolean wireShownCarried(Wire wire) {
        WireCurve curve = curves.get(wire);
        return curve != null && curve.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("carried"));
    }

    private void showRunOn(NodeCard card) {
        if (shownRun == null) {
            card.setRun(null, false);
        } else {
            card.setRun(shownRun.badge(card.nodeId()).orElse(null), shownRun.passedBy(card.nodeId()));
        }
    }

    private void showRunOn(WireCurve curve) {
        if (shownRun == null) {
            curve.setRun(false, null, false);
        } else {
            curve.setRun(shownRun.carried(curve.wire()), shownRun.packets(curve.wire()).orElse(null), true);
        }
    }

    private void markRelatedWires(String nodeId) {
        for (WireCurve c : wiresOf.getOrDefault(nodeId, List.of())) {
            c.setRelated(selection.contains(c.wire().from().node()) || selection.contains(c.wire().to().node()));
        }
    }

    /** Where a new node dropped at this scene point goes, or empty when the point is not over the canvas. */
    public Optional<Position> dropPosition(double sceneX, double sceneY) {
        Point2D local = sceneToLocal(sceneX, sceneY);
        if (local == null || !getLayoutBounds().contains(local)) {
            return Optional.empty();
        }
        Point2D w = world.sceneToLocal(sceneX, sceneY);
        return Optional.of(snap(w.getX() - NodeGeometry.WIDTH / 2, w.getY() - NodeGeometry.HEADER / 2));
    }

    /** A free spot near the middle of what is visible, for nodes added without a drop point. */
    public Position centrePosition() {
        Point2D w = world.parentToLocal(getWidth() / 2, getHeight() / 2);
        int offset = 20 * (cards.size() % 8);
        return snap(w.getX() - NodeGeometry.WIDTH / 2 + offset, w.getY() - 40 + offset);
    }

    public void zoomBy(double factor) {
        zoomAt(new Point2D(getWidth() / 2, getHeight() / 2), factor);
    }

    public void resetZoom() {
        zoomAt(new Point2D(getWidth() / 2, getHeight() / 2), 1 / zoom());
    }

    /** The miniature of the whole flow in the corner (View › Minimap shows or hides it). */
    public Minimap minimap() {
        return minimap;
    }

    /** The part of the world in view. */
    public Bounds viewport() {
        double z = zoom();
        return new BoundingBox(-pan.getX() / z, -pan.getY() / z, getWidth() / z, getHeight() / z);
    }

    /** Pans so that a world point is in the middle of the view. */
    public void centreOn(Point2D worldPoint) {
        double z = zoom();
        pan.setX(getWidth() / 2 - worldPoint.getX() * z);
        pan.setY(getHeight() / 2 - worldPoint.getY() * z);
    }

    /** Zooms and pans so every node is in view (never zooming in past 100 %). */
    public void fitToView() {
        if (cards.isEmpty() || getWidth() <= 0) {
            pan.setX(0);
            pan.setY(0);
            scale.setX(1);
            scale.setY(1);
            return;
        }
        Bounds b = contentBounds();
        double margin = 40;
        double z = Math.min(1, Math.min((getWidth() - 2 * margin) / b.getWidth(),
                (getHeight() - 2 * margin) / b.getHeight()));
        z = clampZoom(z);
        scale.setX(z);
        scale.setY(z);
        pan.setX((getWidth() - b.getWidth() * z) / 2 - b.getMinX() * z);
        pan.setY((getHeight() - b.getHeight() * z) / 2 - b.getMinY() * z);
    }

    // ---- used by the gestures ----

    Group world() {
        return world;
    }

    Group overlay() {
        return overlay;
    }

    Translate pan() {
        return pan;
    }

    Point2D toWorld(double sceneX, double sceneY) {
        return world.sceneToLocal(sceneX, sceneY);
    }

    void zoomAt(Point2D local, double factor) {
        double old = zoom();
        double z = clampZoom(old * factor);
        Point2D w = new Point2D((local.getX() - pan.getX()) / old, (local.getY() - pan.getY()) / old);
        scale.setX(z);
        scale.setY(z);
        pan.setX(local.getX() - w.getX() * z);
        pan.setY(local.getY() - w.getY() * z);
    }

    Optional<NodeCard> cardAt(Point2D world) {
        List<javafx.scene.Node> children = cardLayer.getChildren();
        for (int i = children.size() - 1; i >= 0; i--) {
            NodeCard card = (NodeCard) children.get(i);
            if (card.getBoundsInParent().contains(world)) {
                return Optional.of(card);
            }
        }
        return Optional.empty();
    }

    /** The port of the wanted kind nearest a world point, within catching distance. */
    Optional<PortRef> portAt(Point2D world, boolean output) {
        for (NodeCard card : cards.values()) {
            Bounds b = card.getBoundsInParent();
            if (world.getX() < b.getMinX() - NodeGeometry.PORT_CATCH || world.getX() > b.getMaxX() + NodeGeometry.PORT_CATCH
                    || world.getY() < b.getMinY() || world.getY() > b.getMaxY()) {
                continue;
            }
            Optional<PortRef> port = card.portNear(world, output);
            if (port.isPresent()) {
                return port;
            }
        }
        return Optional.empty();
    }

    Optional<Point2D> portPoint(PortRef port, boolean output) {
        NodeCard card = cards.get(port.node());
        GroupFrame collapsed = collapsedInto.get(port.node());
        if (card != null && collapsed != null) {
            // A node inside a collapsed group: its wires meet the group's card at its side.
            Bounds box = collapsed.box();
            double y = box.getMinY() + GroupFrame.TITLE + (GroupFrame.COLLAPSED_HEIGHT - GroupFrame.TITLE) / 2;
            return Optional.of(new Point2D(output ? box.getMaxX() : box.getMinX(), y));
        }
        return card == null ? Optional.empty() : card.portPoint(port.port(), output);
    }

    Color portColor(PortRef port, boolean output) {
        return PortStyle.color(portType(port, output));
    }

    Optional<Wire> wireInto(PortRef input) {
        return document.flow().wires().stream().filter(w -> w.to().equals(input)).findFirst();
    }

    List<NodeCard> cardsIn(Bounds worldRect) {
        return cards.values().stream().filter(c -> c.getBoundsInParent().intersects(worldRect)).toList();
    }

    /** Moves cards on screen only (while dragging); the document changes once, when the drag ends. */
    void previewMove(Map<String, Position> positions) {
        cardIndex.invalidate();
        Set<String> moved = positions.keySet();
        positions.forEach((id, p) -> {
            NodeCard card = cards.get(id);
            if (card != null) {
                card.relocate(p.x(), p.y());
            }
        });
        frames.values().stream().filter(f -> f.group().nodes().stream().anyMatch(moved::contains))
                .forEach(this::fitFrame);
        minimap.redraw();
        Set<WireCurve> attached = new HashSet<>();
        moved.forEach(id -> attached.addAll(wiresOf.getOrDefault(id, List.of())));
        attached.forEach(this::route);
    }

    void wireClicked(Wire wire) {
        selection.clear();
        selectedWire.set(wire);
    }

    static Position snap(double x, double y) {
        return new Position(Math.round(x / 10) * 10.0, Math.round(y / 10) * 10.0);
    }

    // ---- keeping the scene graph in step with the document ----

    /** Where the flow's relative sub-flow paths start: the folder of its file. */
    public PortScope scope() {
        return PortScope.of(document.file());
    }

    private void show(FlowDocument flow) {
        cardIndex.invalidate();
        Set<String> present = new HashSet<>();
        // Added in one go: adding a thousand cards one by one to a shown group costs a thousand bounds updates.
        List<NodeCard> newCards = new ArrayList<>();
        Set<String> movedNodes = new HashSet<>();
        for (NodeInstance node : flow.nodes()) {
            present.add(node.id());
            NodeCard card = cards.get(node.id());
            NodeDescriptor descriptor = descriptorOf(node);
            NodePorts ports = descriptor.ports(node.settings(), scope());
            if (card != null && (!card.descriptor().id().equals(descriptor.id()) || !card.ports().equals(ports))) {
                // Another type, or ports that follow the settings changed: a new card, and its wires re-routed.
                cardLayer.getChildren().remove(card);
                cards.remove(node.id());
                plainCards.remove(card);
                card = null;
            }
            if (card == null) {
                card = new NodeCard(node, descriptor, ports);
                card.setSelected(selection.contains(node.id()));
                cards.put(node.id(), card);
                newCards.add(card);
                plainCards.add(card);
                if (shownRun != null) {
                    showRunOn(card);
                }
                movedNodes.add(node.id());
            } else if (card.getLayoutX() != node.position().x() || card.getLayoutY() != node.position().y()) {
                card.relocate(node.position().x(), node.position().y());
                movedNodes.add(node.id());
            }
        }
        for (String id : new ArrayList<>(cards.keySet())) {
            if (!present.contains(id)) {
                NodeCard gone = cards.remove(id);
                plainCards.remove(gone);
                cardLayer.getChildren().remove(gone);
            }
        }
        selection.retainAll(present);
        cardLayer.getChildren().addAll(newCards);
        Set<String> regrouped = showGroups(flow);
        movedNodes.addAll(regrouped);
        showNotes(flow);

        Set<Wire> wires = new HashSet<>(flow.wires());
        curves.keySet().removeIf(w -> {
            if (!wires.contains(w)) {
                wireLayer.getChildren().remove(curves.get(w));
                return true;
            }
            return false;
        });
        Set<WireCurve> routed = new HashSet<>();
        List<WireCurve> newCurves = new ArrayList<>();
        for (Wire wire : flow.wires()) {
            WireCurve curve = curves.get(wire);
            if (curve == null) {
                curve = new WireCurve(wire, portColor(wire.from(), true), wireTypeLabel(wire));
                curves.put(wire, curve);
                newCurves.add(curve);
                showRunOn(curve);
                route(curve);
                routed.add(curve);
            } else if (movedNodes.contains(wire.from().node()) || movedNodes.contains(wire.to().node())) {
                route(curve);
                routed.add(curve);
            }
        }
        wireLayer.getChildren().addAll(newCurves);
        rerouteAround(movedNodes, routed);
        showDetailInView();
        minimap.redraw();
        if (selectedWire.get() != null && !wires.contains(selectedWire.get())) {
            selectedWire.set(null);
        }
        wiresOf.clear();
        for (WireCurve c : curves.values()) {
            wiresOf.computeIfAbsent(c.wire().from().node(), k -> new ArrayList<>()).add(c);
            wiresOf.computeIfAbsent(c.wire().to().node(), k -> new ArrayList<>()).add(c);
            c.setRelated(selection.contains(c.wire().from().node()) || selection.contains(c.wire().to().node()));
        }
    }

    /** Builds the detail of the cards in view once the zoom is close enough to read it. */
    private void showDetailInView() {
        if (plainCards.isEmpty() || zoom() < DETAIL_ZOOM || getWidth() <= 0) {
            return;
        }
        Bounds view = viewport();
        Bounds near = new BoundingBox(view.getMinX() - 200, view.getMinY() - 200, view.getWidth() + 400,
                view.getHeight() + 400);
        for (java.util.Iterator<NodeCard> it = plainCards.iterator(); it.hasNext(); ) {
            NodeCard card = it.next();
            if (card.box().intersects(near)) {
                card.showDetail();
                it.remove();
            }
        }
    }

    /** Frames each group around its nodes; hides the nodes of collapsed groups. Returns the nodes whose look changed. */
    private Set<String> showGroups(FlowDocument flow) {
        Set<String> changed = new HashSet<>();
        Map<String, GroupFrame> wasCollapsedInto = new HashMap<>(collapsedInto);
        collapsedInto.clear();
        Set<String> present = new HashSet<>();
        for (dev.flowgraph.core.flow.Group group : flow.groups()) {
            present.add(group.id());
            GroupFrame frame = frames.get(group.id());
            if (frame == null) {
                frame = new GroupFrame(group);
                frames.put(group.id(), frame);
                groupLayer.getChildren().add(frame);
            } else {
                frame.show(group);
            }
            if (group.collapsed()) {
                for (String id : group.nodes()) {
                    collapsedInto.put(id, frame);
                }
            }
            fitFrame(frame);
        }
        for (String id : new ArrayList<>(frames.keySet())) {
            if (!present.contains(id)) {
                groupLayer.getChildren().remove(frames.remove(id));
            }
        }
        for (NodeCard card : cards.values()) {
            boolean hidden = collapsedInto.containsKey(card.nodeId());
            if (card.isVisible() == hidden || wasCollapsedInto.get(card.nodeId()) != collapsedInto.get(card.nodeId())) {
                changed.add(card.nodeId());
            }
            card.setVisible(!hidden);
        }
        return changed;
    }

    private void fitFrame(GroupFrame frame) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (String id : frame.group().nodes()) {
            NodeCard card = cards.get(id);
            if (card != null) {
                Bounds b = card.box();
                minX = Math.min(minX, b.getMinX());
                minY = Math.min(minY, b.getMinY());
                maxX = Math.max(maxX, b.getMaxX());
                maxY = Math.max(maxY, b.getMaxY());
            }
        }
        if (minX <= maxX) {
            frame.fit(new BoundingBox(minX, minY, maxX - minX, maxY - minY));
        }
    }

    private void showNotes(FlowDocument flow) {
        Set<String> present = new HashSet<>();
        for (dev.flowgraph.core.flow.Note note : flow.notes()) {
            present.add(note.id());
            NoteCard card = notes.get(note.id());
            if (card == null) {
                card = new NoteCard(note, (id, text) -> document.apply("Edit note",
                        f -> dev.flowgraph.ui.model.AnnotationEdits.editNote(f, id, text)));
                notes.put(note.id(), card);
                noteLayer.getChildren().add(card);
            } else if (!card.note().equals(note)) {
                card.show(note);
            }
        }
        for (String id : new ArrayList<>(notes.keySet())) {
            if (!present.contains(id)) {
                noteLayer.getChildren().remove(notes.remove(id));
            }
        }
        if (selectedNote.get() != null && !present.contains(selectedNote.get())) {
            selectedNote.set(null);
        }
    }

    /** The type a wire carries: its output's, or its input's when the output passes on any type (a Switch). */
    private String wireTypeLabel(Wire wire) {
        DataType type = portType(wire.from(), true);
        return (type == DataType.ANY ? portType(wire.to(), false) : type).label();
    }

    /** The type of a port as the node's card shows it ({@code any} for a node not on the canvas). */
    public DataType portType(PortRef port, boolean output) {
        NodeCard card = cards.get(port.node());
        if (card == null) {
            return DataType.ANY;
        }
        NodePorts ports = card.ports();
        return (output ? ports.output(port.port()) : ports.input(port.port())).map(PortSpec::type).orElse(DataType.ANY);
    }

    private void route(WireCurve curve) {
        Optional<Point2D> from = portPoint(curve.wire().from(), true);
        Optional<Point2D> to = portPoint(curve.wire().to(), false);
        GroupFrame fromGroup = collapsedInto.get(curve.wire().from().node());
        boolean inside = fromGroup != null && fromGroup == collapsedInto.get(curve.wire().to().node());
        curve.setVisible(from.isPresent() && to.isPresent() && !inside);
        if (from.isPresent() && to.isPresent()) {
            curve.show(WireRouter.route(from.get(), to.get(), cardsBetween(from.get(), to.get())));
        }
    }

    /** The boxes of the cards a wire between two points could meet: those within its horizontal reach. */
    private List<Bounds> cardsBetween(Point2D from, Point2D to) {
        double left = Math.min(from.getX(), to.getX()) - WireRouter.GAP - 1;
        double right = Math.max(from.getX(), to.getX()) + WireRouter.GAP + 1;
        List<Bounds> boxes = cardIndex.between(left, right);
        for (GroupFrame frame : frames.values()) {
            if (frame.isCollapsed()) {
                boxes.add(frame.box());
            }
        }
        return boxes;
    }

    /** Re-routes the wires that now run through one of these cards (they moved, or are new). */
    private void rerouteAround(Set<String> movedNodes, Set<WireCurve> alreadyRouted) {
        List<Bounds> moved = movedNodes.stream().map(cards::get).filter(java.util.Objects::nonNull).map(NodeCard::box).toList();
        if (moved.isEmpty()) {
            return;
        }
        for (WireCurve curve : curves.values()) {
            if (!alreadyRouted.contains(curve) && curve.route() != null
                    && moved.stream().anyMatch(b -> curve.getBoundsInParent().intersects(b) && curve.route().crosses(b))) {
                route(curve);
            }
        }
    }

    /**
     * The wires a reader would see running through a card that is not one of their ends, as {@code wire ⟂ node}:
     * none after an automatic layout.
     */
    public List<String> wiresThroughCards() {
        List<String> found = new ArrayList<>();
        for (WireCurve curve : curves.values()) {
            if (!curve.isVisible()) {
                continue;
            }
            for (NodeCard card : cards.values()) {
                if (!card.isVisible()) {
                    continue;
                }
                String id = card.nodeId();
                boolean end = id.equals(curve.wire().from().node()) || id.equals(curve.wire().to().node());
                if (curve.route() != null && curve.getBoundsInParent().intersects(card.box())
                        && (end ? curve.route().crossesOwnEnd(card.box()) : curve.route().crosses(card.box()))) {
                    found.add(curve.wire() + " ⟂ " + id);
                }
            }
        }
        return found;
    }

    /** Pairs of cards that overlap, as {@code a ⟂ b}: none after an automatic layout. */
    public List<String> overlappingCards() {
        List<NodeCard> all = cards.values().stream().filter(NodeCard::isVisible).toList();
        List<String> found = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                if (all.get(i).box().intersects(all.get(j).box())) {
                    found.add(all.get(i).nodeId() + " ⟂ " + all.get(j).nodeId());
                }
            }
        }
        return found;
    }

    /** The node's descriptor; a node of an unknown type gets a bare one so it can still be seen and deleted. */
    private NodeDescriptor descriptorOf(NodeInstance node) {
        return registry.descriptor(node.type()).orElseGet(() -> NodeDescriptor.builder(node.type(),
                "Unknown: " + node.type()).category("Unknown").build());
    }

    /** What the flow covers in world coordinates: its cards and the curves of its wires. */
    private Bounds contentBounds() {
        Bounds cardsBox = cardLayer.getBoundsInParent();
        Bounds wiresBox = wireLayer.getBoundsInParent();
        if (curves.isEmpty() || wiresBox.isEmpty()) {
            return cardsBox;
        }
        double minX = Math.min(cardsBox.getMinX(), wiresBox.getMinX());
        double minY = Math.min(cardsBox.getMinY(), wiresBox.getMinY());
        double maxX = Math.max(cardsBox.getMaxX(), wiresBox.getMaxX());
        double maxY = Math.max(cardsBox.getMaxY(), wiresBox.getMaxY());
        return new BoundingBox(minX, minY, maxX - minX, maxY - minY);
    }

    private static double clampZoom(double z) {
        return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
    }

    @Override
    protected void layoutChildren() {
        clip.setWidth(getWidth());
        clip.setHeight(getHeight());
        // Top right: the bottom right corner is where people click to clear a selection.
        minimap.relocate(getWidth() - Minimap.WIDTH - 12, 12);
        minimap.redraw();
        showDetailInView();
        if (grid.getWidth() != getWidth() || grid.getHeight() != getHeight()) {
            grid.setWidth(getWidth());
            grid.setHeight(getHeight());
            drawGrid();
        }
    }

    private void drawGrid() {
        GraphicsContext g = grid.getGraphicsContext2D();
        double w = grid.getWidth();
        double h = grid.getHeight();
        g.clearRect(0, 0, w, h);
        double step = GRID * zoom();
        if (step < 6) {
            return;
        }
        Color minor = darkGrid.get() ? Color.web("#2a2f38") : Color.web("#e6e8ec");
        Color major = darkGrid.get() ? Color.web("#353b46") : Color.web("#d3d7de");
        double x0 = pan.getX() % step;
        double y0 = pan.getY() % step;
        long firstCol = Math.round(Math.floor(-pan.getX() / step)) + 1;
        long firstRow = Math.round(Math.floor(-pan.getY() / step)) + 1;
        g.setLineWidth(1);
        long i = firstCol;
        for (double x = x0 < 0 ? x0 + step : x0; x < w; x += step, i++) {
            g.setStroke(Math.floorMod(i, 5) == 0 ? major : minor);
            g.strokeLine(Math.floor(x) + 0.5, 0, Math.floor(x) + 0.5, h);
        }
        long j = firstRow;
        for (double y = y0 < 0 ? y0 + step : y0; y < h; y += step, j++) {
            g.setStroke(Math.floorMod(j, 5) == 0 ? major : minor);
            g.strokeLine(0, Math.floor(y) + 0.5, w, Math.floor(y) + 0.5);
        }
    }
}
