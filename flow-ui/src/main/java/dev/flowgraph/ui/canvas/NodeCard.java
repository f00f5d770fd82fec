package dev.flowgraph.ui.canvas;

import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.validate.Problem;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;

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
    private final Label status = new Label();
    private final Label badge = new Label("!");
    private final List<Circle> inputDots = new ArrayList<>();
    private final List<Circle> outputDots = new ArrayList<>();

    NodeCard(NodeInstance node, NodeDescriptor descriptor) {
        this.nodeId = node.id();
        this.descriptor = descriptor;
        double height = NodeGeometry.height(descriptor);
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

        Label icon = new Label(descriptor.category().isEmpty() ? "?" : descriptor.category().substring(0, 1));
        icon.getStyleClass().add("node-icon");
        icon.setStyle("-fx-background-color: " + CategoryStyle.css(descriptor.category()) + ";");
        icon.relocate(8, 9);

        Label title = new Label(descriptor.name());
        title.getStyleClass().add("node-title");
        title.relocate(34, 6);
        title.setMaxWidth(NodeGeometry.WIDTH - 60);

        Label id = new Label(node.id());
        id.getStyleClass().add("node-id");
        id.relocate(34, 20);
        id.setMaxWidth(NodeGeometry.WIDTH - 60);

        badge.getStyleClass().add("node-badge");
        badge.relocate(NodeGeometry.WIDTH - 26, 8);
        badge.setVisible(false);

        getChildren().addAll(body, stripe, icon, title, id, badge);
        for (int i = 0; i < descriptor.inputs().size(); i++) {
            PortSpec port = descriptor.inputs().get(i);
            inputDots.add(addPort(port, NodeGeometry.input(i), true));
        }
        for (int i = 0; i < descriptor.outputs().size(); i++) {
            PortSpec port = descriptor.outputs().get(i);
            outputDots.add(addPort(port, NodeGeometry.output(i), false));
        }
        status.getStyleClass().add("node-status");
        status.relocate(10, height - NodeGeometry.FOOTER + 4);
        status.setMaxWidth(NodeGeometry.WIDTH - 20);
        getChildren().add(status);
        setState(State.STOPPED, null);
        relocate(node.position().x(), node.position().y());
    }

    private Circle addPort(PortSpec port, Point2D at, boolean input) {
        Circle dot = new Circle(at.getX(), at.getY(), NodeGeometry.PORT_RADIUS, PortStyle.color(port.type()));
        dot.getStyleClass().addAll("port", input ? "input-port" : "output-port");
        dot.setId(portId(nodeId, port.name(), !input));
        dot.setUserData(new PortRef(nodeId, port.name()));
        Tooltip.install(dot, new Tooltip(port.name() + " (" + port.type().label() + ")"
                + (port.description().isEmpty() ? "" : "\n" + port.description())));
        Label name = new Label(port.name());
        name.getStyleClass().add("port-name");
        name.setMouseTransparent(true);
        if (input) {
            name.relocate(12, at.getY() - 9);
        } else {
            name.setMinWidth(NodeGeometry.WIDTH / 2 - 14);
            name.setAlignment(javafx.geometry.Pos.CENTER_RIGHT);
            name.relocate(NodeGeometry.WIDTH / 2, at.getY() - 9);
        }
        getChildren().addAll(name, dot);
        return dot;
    }

    public String nodeId() {
        return nodeId;
    }

    /** The scene-graph id of a port's dot: {@code port-NODE-in-PORT} or {@code port-NODE-out-PORT}. */
    public static String portId(String nodeId, String port, boolean output) {
        return "port-" + nodeId + (output ? "-out-" : "-in-") + port;
    }

    NodeDescriptor descriptor() {
        return descriptor;
    }

    /** Where a port's centre is, in canvas (world) coordinates. */
    Optional<Point2D> portPoint(String port, boolean output) {
        List<PortSpec> ports = output ? descriptor.outputs() : descriptor.inputs();
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
        List<PortSpec> ports = output ? descriptor.outputs() : descriptor.inputs();
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
        badge.setVisible(any);
        Tooltip.uninstall(badge, badge.getTooltip());
        if (any) {
            String text = problems.stream().map(Problem::message).collect(Collectors.joining("\n"));
            badge.setTooltip(new Tooltip(text));
        } else {
            badge.setTooltip(null);
        }
    }

    public boolean hasProblems() {
        return badge.isVisible();
    }

    public String problemText() {
        return badge.getTooltip() == null ? "" : badge.getTooltip().getText();
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
        status.setText(detail == null || detail.isEmpty() ? word : (word.isEmpty() ? detail : word + " · " + detail));
        status.setTooltip(detail == null || detail.isEmpty() ? null : new Tooltip(detail));
    }

    public String statusText() {
        return status.getText();
    }
}
