package dev.flowgraph.ui.canvas;

import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;

import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.validate.Problem;
import javafx.geometry.Point2D;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import javafx.scene.Node;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** One node on the canvas: a card with its title, category colour, named ports and a status line. */
public final class NodeCard extends Pane {
    /** What a node is doing while the flow runs. */
    public enum State { IDLE, RUNNING, ERROR, STOPPED }

    private final String nodeId;
    private final NodeDescriptor descriptor;
    private final NodePorts ports;
    /** The status line, once the card shows its detail; the line itself is kept either way. */
    private Text status;
    private String statusLine = "";
    private String statusDetail;
    private final String subtitleText;
    private boolean detailed;
    /** The problem mark, made the first time the node has a problem (most cards of a big flow never do). */
    private javafx.scene.Group badge;
    /** The problems the badge's tooltip lists, one per line; empty when none. */
    private String problemText = "";
    /** The node's time and tokens in the run on show; above the card's top right corner. */
    private Text runBadge;
    private final List<Circle> inputDots = new ArrayList<>();
    private final List<Circle> outputDots = new ArrayList<>();
    /** The box as last computed: wire routing asks for it often, and it changes only when the card moves. */
    private Bounds box;

    /** @param ports the node's ports as its settings make them (a switch's cases, a sub-flow's interface) */
    NodeCard(NodeInstance node, NodeDescriptor descriptor, NodePorts ports) {
        this.nodeId = node.id();
        this.descriptor = descriptor;
        this.ports = ports;
        double height = NodeGeometry.height(ports);
        getStyleClass().add("node-card");
        setId("node-" + node.id());
        setPrefSize(NodeGeometry.WIDTH, height);
        setMinSize(NodeGeometry.WIDTH, height);
        setMaxSize(NodeGeometry.WIDTH, height);

        Region body = new Region();
        body.getStyleClass().add("node-body");
        body.setPrefSize(NodeGeometry.WIDTH, height);
        body.setMouseTransparent(false);

        Rectangle stripe = new Rectangle(NodeGeometry.WIDTH, 4, CategoryStyle.color(descriptor.category()));
        stripe.setArcWidth(6);
        stripe.setArcHeight(6);

        Text title = text(descriptor.name(), "node-title");
        title.relocate(34, 6);
        subtitleText = node.id() + subtitle(node);

        getChildren().addAll(body, stripe, title);
        setState(State.STOPPED, null);
        relocate(node.position().x(), node.position().y());
    }

    /**
     * Builds what a card shows only when it can be read (icon, id, ports, status line): a thousand cards seen from
     * far away are boxes with a title, and opening a big flow builds no more than that. Called by the canvas for the
     * cards in view once the zoom is close enough; once built, it stays.
     */
    void showDetail() {
        if (detailed) {
            return;
        }
        detailed = true;
        double height = NodeGeometry.height(ports);
        // Shapes and Text rather than Labels: a card is drawn hundreds of times in a big flow, and controls
        // (with skins and CSS of their own) made opening a 500-node flow several times slower.
        Rectangle iconBox = new Rectangle(8, 9, 20, 20);
        iconBox.setArcWidth(8);
        iconBox.setArcHeight(8);
        iconBox.setFill(CategoryStyle.color(descriptor.category()));
        Text icon = text(descriptor.category().isEmpty() ? "?" : descriptor.category().substring(0, 1), "node-icon");
        icon.setTextAlignment(TextAlignment.CENTER);
        icon.setWrappingWidth(20);
        icon.relocate(8, 11);

        Text id = text(subtitleText, "node-id");
        id.relocate(34, 21);
        getChildren().addAll(iconBox, icon, id);
        for (int i = 0; i < ports.inputs().size(); i++) {
            PortSpec port = ports.inputs().get(i);
            inputDots.add(addPort(port, NodeGeometry.input(i), true));
        }
        for (int i = 0; i < ports.outputs().size(); i++) {
            PortSpec port = ports.outputs().get(i);
            outputDots.add(addPort(port, NodeGeometry.output(i), false));
        }
        status = new Text(statusLine);
        status.getStyleClass().add("node-status");
        status.setTextOrigin(javafx.geometry.VPos.TOP);
        status.relocate(10, height - NodeGeometry.FOOTER + 6);
        installLazily(status, () -> statusDetail == null ? "" : statusDetail);
        getChildren().add(status);
        if (badge != null) {
            badge.toFront();
        }
        if (runBadge != null) {
            runBadge.toFront();
        }
    }

    /** Whether the card shows its ports and status line (see {@link #showDetail()}). */
    public boolean isDetailed() {
        return detailed;
    }

    private Circle addPort(PortSpec port, Point2D at, boolean input) {
        Circle dot = new Circle(at.getX(), at.getY(), NodeGeometry.PORT_RADIUS, PortStyle.color(port.type()));
        dot.getStyleClass().addAll("port", input ? "input-port" : "output-port");
        dot.setId(portId(nodeId, port.name(), !input));
        dot.setUserData(new PortRef(nodeId, port.name()));
        installLazily(dot, () -> port.name() + " (" + port.type().label() + ")"
                + (port.description().isEmpty() ? "" : "\n" + port.description()));
        Text name = text(port.name(), "port-name");
        name.setMouseTransparent(true);
        if (input) {
            name.relocate(12, at.getY() - 8);
        } else {
            name.setTextAlignment(TextAlignment.RIGHT);
            name.setWrappingWidth(NodeGeometry.WIDTH / 2 - 14);
            name.relocate(NodeGeometry.WIDTH / 2, at.getY() - 8);
        }
        getChildren().addAll(name, dot);
        return dot;
    }

    public String nodeId() {
        return nodeId;
    }

    private static Text text(String content, String styleClass) {
        Text t = new Text(content);
        t.getStyleClass().add(styleClass);
        t.setTextOrigin(javafx.geometry.VPos.TOP);
        return t;
    }

    /** A tooltip made on first hover (most ports of a big flow are never hovered), its text read each time it shows. */
    private static void installLazily(Node node, java.util.function.Supplier<String> text) {
        node.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, new javafx.event.EventHandler<>() {
            @Override
            public void handle(javafx.scene.input.MouseEvent e) {
                node.removeEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, this);
                Tooltip tip = new Tooltip(text.get());
                tip.setOnShowing(shown -> tip.setText(text.get()));
                Tooltip.install(node, tip);
            }
        });
    }

    /** The scene-graph id of a port's dot: {@code port-NODE-in-PORT} or {@code port-NODE-out-PORT}. */
    public static String portId(String nodeId, String port, boolean output) {
        return "port-" + nodeId + (output ? "-out-" : "-in-") + port;
    }

    NodeDescriptor descriptor() {
        return descriptor;
    }

    NodePorts ports() {
        return ports;
    }

    /** A node that runs another flow file names it under its id: the sub-flow's name is what a reader needs. */
    private static String subtitle(NodeInstance node) {
        Object flow = node.settings().get("flow");
        if (!(flow instanceof String path) || path.isBlank()) {
            return "";
        }
        String name = java.nio.file.Path.of(path).getFileName().toString().replace(".flow.json", "");
        return " · " + name;
    }

    /** The card's own rectangle in canvas (world) coordinates, without the badges drawn outside it. */
    Bounds box() {
        if (box == null || box.getMinX() != getLayoutX() || box.getMinY() != getLayoutY()) {
            box = new BoundingBox(getLayoutX(), getLayoutY(), NodeGeometry.WIDTH, NodeGeometry.height(ports));
        }
        return box;
    }

    /** Where a port's centre is, in canvas (world) coordinates. */
    Optional<Point2D> portPoint(String port, boolean output) {
        List<PortSpec> ports = output ? this.ports.outputs() : this.ports.inputs();
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).name().equals(port)) {
                Point2D local = output ? NodeGeometry.output(i) : NodeGeometry.input(i);
                return Optional.of(local.add(getLayoutX(), getLayoutY()));
            }
        }
        return Optional.empty();
    }

    /** The port whose centre is within catching distance of a world point, if any. */
    Optional<PortRef> portNear(Point2D world, boolean output) {
        List<PortSpec> ports = output ? this.ports.outputs() : this.ports.inputs();
        for (PortSpec port : ports) {
            Point2D p = portPoint(port.name(), output).orElseThrow();
            if (p.distance(world) <= NodeGeometry.PORT_CATCH) {
                return Optional.of(new PortRef(nodeId, port.name()));
            }
        }
        return Optional.empty();
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("selected"), selected);
    }

    /** Marks the card with the validator's problems (none clears the mark). */
    void setProblems(List<Problem> problems) {
        boolean any = !problems.isEmpty();
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("problem"), any);
        problemText = problems.stream().map(Problem::message).collect(Collectors.joining("\n"));
        if (badge == null) {
            if (!any) {
                return;
            }
            // A circle and a "!" rather than a Label: a flow full of problems gets a badge on each of a thousand cards.
            Circle dot = new Circle(9, 9, 9);
            dot.getStyleClass().add("node-badge");
            Text mark = text("!", "node-badge-mark");
            mark.setTextAlignment(TextAlignment.CENTER);
            mark.setWrappingWidth(18);
            mark.relocate(0, 2);
            badge = new javafx.scene.Group(dot, mark);
            badge.relocate(NodeGeometry.WIDTH - 26, 8);
            installLazily(badge, () -> problemText);
            getChildren().add(badge);
        }
        badge.setVisible(any);
    }

    public boolean hasProblems() {
        return badge != null && badge.isVisible();
    }

    public String problemText() {
        return problemText;
    }

    /** Shows what the node is doing; {@code detail} is an error message or the API element's URL. */
    void setState(State state, String detail) {
        for (State s : State.values()) {
            pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass(s.name().toLowerCase()), s == state);
        }
        String word = switch (state) {
            case STOPPED -> "";
            case IDLE -> "● idle";
            case RUNNING -> "● running";
            case ERROR -> "● error";
        };
        String line = detail == null || detail.isEmpty() ? word : (word.isEmpty() ? detail : word + " · " + detail);
        // One line on the card; the whole message is in the tooltip.
        statusLine = line.length() > 34 ? line.substring(0, 33) + "…" : line;
        statusDetail = detail;
        if (status != null) {
            status.setText(statusLine);
        }
    }

    /**
     * Shows the node's part in the run on show: its badge (time and tokens), or dimmed when the run passed it by.
     * A null {@code badge} with {@code passedBy} false clears both (no run on show).
     */
    void setRun(String badge, boolean passedBy) {
        if (runBadge == null && badge != null) {
            // Made when first needed: most cards of a big flow never show a run.
            runBadge = text("", "node-run-badge");
            runBadge.setMouseTransparent(true);
            getChildren().add(runBadge);
        }
        if (runBadge != null) {
            runBadge.setText(badge == null ? "" : badge);
            runBadge.setVisible(badge != null);
            runBadge.relocate(NodeGeometry.WIDTH - 6 - runBadge.getLayoutBounds().getWidth(), -17);
        }
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("not-reached"), passedBy);
    }

    /** The run badge's text, empty when none is shown. */
    public String runBadgeText() {
        return runBadge != null && runBadge.isVisible() ? runBadge.getText() : "";
    }

    /** Whether the card is dimmed: the run on show passed this node by. */
    public boolean isDimmed() {
        return getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("not-reached"));
    }

    /** The state line as shown, and the full detail behind it. */
    public String statusText() {
        return statusLine + (statusDetail == null ? "" : " | " + statusDetail);
    }
}
