package dev.flowgraph.ui.palette;

import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.ui.canvas.CategoryStyle;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every node type the registry knows, grouped by category, with a search box. Drag a type onto the canvas or
 * double-click it to add a node.
 */
public final class Palette extends VBox {
    private final List<NodeDescriptor> descriptors;
    private final TextField search = new TextField();
    private final TreeView<Object> tree = new TreeView<>(new TreeItem<>("Nodes"));
    private final Consumer<NodeDescriptor> add;
    private final DropTarget dropTarget;

    /** Where a type dragged out of the palette may land. */
    public interface DropTarget {
        /** Adds a node of the type at the scene point; false when the point is not over the canvas. */
        boolean drop(NodeDescriptor type, double sceneX, double sceneY);
    }

    public Palette(NodeRegistry registry, Consumer<NodeDescriptor> add, DropTarget dropTarget) {
        this.descriptors = registry.descriptors();
        this.add = add;
        this.dropTarget = dropTarget;
        getStyleClass().add("palette");
        setId("palette");
        setSpacing(6);
        setPadding(new Insets(8));
        Label title = new Label("Nodes");
        title.getStyleClass().add("panel-title");
        search.setPromptText("Search nodes");
        search.setId("palette-search");
        search.textProperty().addListener((o, a, b) -> fill(b));
        tree.setShowRoot(false);
        tree.setId("palette-tree");
        tree.setCellFactory(t -> new TypeCell());
        VBox.setVgrow(tree, Priority.ALWAYS);
        getChildren().addAll(title, search, tree);
        fill("");
    }

    private void fill(String query) {
        String q = query.trim().toLowerCase(Locale.ROOT);
        Map<String, TreeItem<Object>> categories = new TreeMap<>();
        for (NodeDescriptor d : descriptors) {
            if (!q.isEmpty() && !(d.name() + " " + d.id() + " " + d.category() + " " + d.description())
                    .toLowerCase(Locale.ROOT).contains(q)) {
                continue;
            }
            TreeItem<Object> category = categories.computeIfAbsent(d.category(), c -> {
                TreeItem<Object> item = new TreeItem<>(c);
                item.setExpanded(true);
                return item;
            });
            category.getChildren().add(new TreeItem<>(d));
        }
        tree.getRoot().getChildren().setAll(categories.values());
    }

    /** The cell's node id: the type id with dots made dashes, so CSS selectors can name it. */
    public static String cellId(String typeId) {
        return "palette-" + typeId.replace('.', '-');
    }

    /** A category heading or a node type; a node type can be dragged out or double-clicked. */
    private final class TypeCell extends TreeCell<Object> {
        private boolean dragging;

        TypeCell() {
            addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2
                        && getItem() instanceof NodeDescriptor d) {
                    add.accept(d);
                }
            });
            // A plain press-drag-release (not platform drag and drop): it behaves the same on every platform,
            // including headless ones, and the release reports where the pointer is.
            addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
                if (getItem() instanceof NodeDescriptor) {
                    dragging = true;
                    getScene().setCursor(javafx.scene.Cursor.CLOSED_HAND);
                }
            });
            addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
                if (dragging && getItem() instanceof NodeDescriptor d) {
                    getScene().setCursor(null);
                    dropTarget.drop(d, e.getSceneX(), e.getSceneY());
                }
                dragging = false;
            });
        }

        @Override
        protected void updateItem(Object item, boolean empty) {
            super.updateItem(item, empty);
            setTooltip(null);
            getStyleClass().removeAll("palette-category", "palette-type");
            if (empty || item == null) {
                setText(null);
                setGraphic(null);
                setId(null);
            } else if (item instanceof NodeDescriptor d) {
                setText(d.name());
                setId(cellId(d.id()));
                getStyleClass().add("palette-type");
                setGraphic(new Circle(5, CategoryStyle.color(d.category())));
                setTooltip(new Tooltip(d.id() + (d.description().isEmpty() ? "" : "\n" + d.description())));
            } else {
                setText(item.toString());
                setId(null);
                getStyleClass().add("palette-category");
                setGraphic(null);
            }
        }
    }
}
