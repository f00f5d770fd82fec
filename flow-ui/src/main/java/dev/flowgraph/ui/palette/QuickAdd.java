package dev.flowgraph.ui.palette;

import dev.flowgraph.core.node.NodeDescriptor;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A search box at the pointer for adding a node by typing: the node types whose name, id, category or description
 * hold every word typed, best matches first. Enter adds the selected type, Escape closes it.
 */
public final class QuickAdd extends VBox {
    private final List<NodeDescriptor> all;
    private final TextField field = new TextField();
    private final ObservableList<NodeDescriptor> shown = FXCollections.observableArrayList();
    private final ListView<NodeDescriptor> list = new ListView<>(shown);
    private final Label hint = new Label();
    private Predicate<NodeDescriptor> allowed = d -> true;
    private Consumer<NodeDescriptor> chosen = d -> {
    };
    private Runnable closed = () -> {
    };

    public QuickAdd(List<NodeDescriptor> types) {
        this.all = types.stream().sorted(Comparator.comparing(NodeDescriptor::name)).toList();
        setId("quick-add");
        getStyleClass().add("quick-add");
        setSpacing(4);
        field.setId("quick-add-field");
        field.setPromptText("Add a node: type to search");
        list.setId("quick-add-list");
        list.setPrefSize(280, 220);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(NodeDescriptor d, boolean empty) {
                super.updateItem(d, empty);
                setText(empty || d == null ? null : d.name() + "  ·  " + d.category());
            }
        });
        hint.getStyleClass().add("hint");
        getChildren().addAll(field, list, hint);
        field.textProperty().addListener(o -> filter());
        field.setOnKeyPressed(e -> {
            switch (e.getCode()) {
                case ENTER -> pick();
                case ESCAPE -> close();
                case DOWN -> list.getSelectionModel().selectNext();
                case UP -> list.getSelectionModel().selectPrevious();
                default -> {
                    return;
                }
            }
            e.consume();
        });
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                pick();
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                pick();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                close();
            }
        });
        field.focusedProperty().addListener((o, was, is) -> {
            if (!is && !list.isFocused()) {
                close();
            }
        });
    }

    /**
     * Starts a search among the types {@code allowed} lets through (those that fit a wire being dropped, say); the
     * type picked goes to {@code chosen}, and {@code closed} runs when the box goes, picked or not.
     */
    public void open(Predicate<NodeDescriptor> allowedTypes, String why, Consumer<NodeDescriptor> onChosen, Runnable onClosed) {
        this.allowed = allowedTypes;
        this.chosen = onChosen;
        this.closed = onClosed;
        hint.setText(why);
        field.clear();
        filter();
        field.requestFocus();
    }

    public List<NodeDescriptor> shownTypes() {
        return List.copyOf(shown);
    }

    private void filter() {
        String[] words = field.getText().strip().toLowerCase(Locale.ROOT).split("\\s+");
        String first = words[0];
        shown.setAll(all.stream().filter(allowed).filter(d -> matches(d, words))
                .sorted(Comparator.comparingInt((NodeDescriptor d) -> rank(d, first)))
                .toList());
        if (!shown.isEmpty()) {
            list.getSelectionModel().select(0);
        }
    }

    private static boolean matches(NodeDescriptor d, String[] words) {
        String text = (d.name() + " " + d.id() + " " + d.category() + " " + d.description()).toLowerCase(Locale.ROOT);
        for (String w : words) {
            if (!w.isEmpty() && !text.contains(w)) {
                return false;
            }
        }
        return true;
    }

    /** Names starting with the first word come first, then names holding it, then the rest. */
    private static int rank(NodeDescriptor d, String first) {
        String name = d.name().toLowerCase(Locale.ROOT);
        return first.isEmpty() || name.startsWith(first) ? 0 : name.contains(first) ? 1 : 2;
    }

    private void pick() {
        NodeDescriptor type = list.getSelectionModel().getSelectedItem();
        if (type != null) {
            Consumer<NodeDescriptor> target = chosen;
            close();
            target.accept(type);
        }
    }

    private void close() {
        Runnable onClosed = closed;
        closed = () -> {
        };
        onClosed.run();
    }
}
