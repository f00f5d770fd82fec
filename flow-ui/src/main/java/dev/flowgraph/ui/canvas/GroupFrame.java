package dev.flowgraph.ui.canvas;

import dev.flowgraph.core.flow.Group;
import javafx.geometry.Bounds;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

/**
 * A group's frame: a titled, coloured rectangle around its nodes, drawn behind them. Its title bar is the handle that
 * moves the group's nodes together; the arrow in it collapses the group into one card.
 */
public final class GroupFrame extends Pane {
    static final double PADDING = 18;
    static final double TITLE = 30;
    static final double COLLAPSED_HEIGHT = 64;

    private Group group;
    private final Rectangle body = new Rectangle();
    private final Rectangle titleBar = new Rectangle();
    private final Text title = new Text();
    private final Text toggle = new Text();
    private final Text count = new Text();

    GroupFrame(Group group) {
        getStyleClass().add("group-frame");
        setId("group-" + group.id());
        body.getStyleClass().add("group-body");
        body.setMouseTransparent(true);
        body.setArcWidth(12);
        body.setArcHeight(12);
        titleBar.getStyleClass().add("group-title-bar");
        titleBar.setArcWidth(12);
        titleBar.setArcHeight(12);
        title.getStyleClass().add("group-title");
        title.setTextOrigin(javafx.geometry.VPos.CENTER);
        title.setMouseTransparent(true);
        toggle.getStyleClass().add("group-toggle");
        toggle.setId("group-toggle-" + group.id());
        toggle.setTextOrigin(javafx.geometry.VPos.CENTER);
        count.getStyleClass().add("group-count");
        count.setTextOrigin(javafx.geometry.VPos.CENTER);
        count.setMouseTransparent(true);
        getChildren().addAll(body, titleBar, title, toggle, count);
        setPickOnBounds(false);
        show(group);
    }

    public String groupId() {
        return group.id();
    }

    Group group() {
        return group;
    }

    public boolean isCollapsed() {
        return group.collapsed();
    }

    public String titleText() {
        return title.getText();
    }

    void show(Group shown) {
        this.group = shown;
        Color color = parse(shown.color());
        body.setFill(color.deriveColor(0, 1, 1, shown.collapsed() ? 0.9 : 0.10));
        body.setStroke(color);
        titleBar.setFill(color.deriveColor(0, 1, 1, 0.85));
        title.setText(shown.title().isBlank() ? "Group" : shown.title());
        toggle.setText(shown.collapsed() ? "▸" : "▾");
        count.setText(shown.collapsed() ? shown.nodes().size() + " nodes" : "");
    }

    /** Fits the frame around its nodes' cards (world coordinates), or to one card's size when collapsed. */
    void fit(Bounds members) {
        double x = members.getMinX() - PADDING;
        double y = members.getMinY() - PADDING - TITLE;
        double w = group.collapsed() ? NodeGeometry.WIDTH : members.getWidth() + 2 * PADDING;
        double h = group.collapsed() ? COLLAPSED_HEIGHT : members.getHeight() + 2 * PADDING + TITLE;
        relocate(x, y);
        body.setWidth(w);
        body.setHeight(h);
        titleBar.setWidth(w);
        titleBar.setHeight(TITLE);
        title.setLayoutX(26);
        title.setLayoutY(TITLE / 2);
        toggle.setLayoutX(10);
        toggle.setLayoutY(TITLE / 2);
        count.setLayoutX(12);
        count.setLayoutY(TITLE + (COLLAPSED_HEIGHT - TITLE) / 2);
        setPrefSize(w, h);
    }

    /** Lets the title be rewritten in place; Enter or leaving the field commits it, Escape keeps the old one. */
    void editTitle(java.util.function.Consumer<String> retitled) {
        javafx.scene.control.TextField field = new javafx.scene.control.TextField(group.title());
        field.setId("group-title-editor");
        field.relocate(22, 2);
        field.setPrefWidth(Math.max(120, body.getWidth() - 30));
        boolean[] done = {false};
        Runnable commit = () -> {
            if (!done[0]) {
                done[0] = true;
                getChildren().remove(field);
                if (!field.getText().equals(group.title())) {
                    retitled.accept(field.getText().strip());
                }
            }
        };
        field.setOnAction(e -> commit.run());
        field.focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                commit.run();
            }
        });
        field.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE) {
                field.setText(group.title());
                commit.run();
            }
        });
        getChildren().add(field);
        field.requestFocus();
        field.selectAll();
    }

    boolean isToggle(javafx.scene.Node node) {
        return node == toggle;
    }

    /** The frame's rectangle in world coordinates. */
    Bounds box() {
        return new javafx.geometry.BoundingBox(getLayoutX(), getLayoutY(), body.getWidth(), body.getHeight());
    }

    /** Whether a world point is on the title bar (the handle). */
    boolean onTitleBar(javafx.geometry.Point2D world) {
        return world.getX() >= getLayoutX() && world.getX() <= getLayoutX() + body.getWidth()
                && world.getY() >= getLayoutY() && world.getY() <= getLayoutY() + TITLE;
    }

    private static Color parse(String css) {
        try {
            return Color.web(css);
        } catch (IllegalArgumentException e) {
            return Color.web(Group.DEFAULT_COLOR);
        }
    }
}
