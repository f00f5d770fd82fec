package dev.flowgraph.ui;

import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.layout.GridPane;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The menu bar, built from the shortcut list, plus Open Recent and the Help menu. */
final class EditorMenus {
    private final EditorWindow window;
    private final List<Shortcut> shortcuts;

    EditorMenus(EditorWindow window, List<Shortcut> shortcuts) {
        this.window = window;
        this.shortcuts = shortcuts;
    }

    MenuBar menuBar() {
        Map<String, Menu> menus = new LinkedHashMap<>();
        for (Shortcut s : shortcuts) {
            Menu menu = menus.computeIfAbsent(s.menu(), Menu::new);
            MenuItem item = new MenuItem(s.name());
            item.setId("menu-" + s.name().toLowerCase().replaceAll("[^a-z]+", "-").replaceAll("-$", ""));
            item.setAccelerator(s.keys());
            item.setOnAction(e -> s.action().run());
            menu.getItems().add(item);
            if (s.name().equals("Save As…")) {
                menu.getItems().add(recentMenu());
                menu.getItems().add(new SeparatorMenuItem());
            }
        }
        Menu help = new Menu("Help");
        MenuItem keys = new MenuItem("Keyboard Shortcuts");
        keys.setId("menu-keyboard-shortcuts");
        keys.setAccelerator(javafx.scene.input.KeyCombination.keyCombination("F1"));
        keys.setOnAction(e -> showShortcuts());
        MenuItem mouse = new MenuItem("Using the Canvas");
        mouse.setOnAction(e -> showCanvasHelp());
        help.getItems().addAll(keys, mouse);
        MenuBar bar = new MenuBar();
        bar.getMenus().addAll(menus.values());
        bar.getMenus().add(help);
        return bar;
    }

    /** Filled each time it opens, so it lists the files as they are now. */
    private Menu recentMenu() {
        Menu recent = new Menu("Open Recent");
        recent.setId("menu-open-recent");
        recent.getItems().add(new MenuItem("(none)"));
        recent.setOnShowing(e -> {
            recent.getItems().clear();
            List<Path> files = window.files().recent().list();
            if (files.isEmpty()) {
                MenuItem none = new MenuItem("(none)");
                none.setDisable(true);
                recent.getItems().add(none);
            }
            for (Path file : files) {
                MenuItem item = new MenuItem(file.getFileName() + "  —  " + file.getParent());
                item.setOnAction(a -> {
                    window.files().openRecent(file);
                    window.canvas().fitToView();
                });
                recent.getItems().add(item);
            }
        });
        return recent;
    }

    private void showShortcuts() {
        GridPane grid = new GridPane();
        grid.setHgap(24);
        grid.setVgap(4);
        grid.setPadding(new Insets(8));
        int row = 0;
        for (Shortcut s : shortcuts) {
            if (s.keys() != null) {
                grid.addRow(row++, new Label(s.menu() + " › " + s.name()), new Label(s.keysText()));
            }
        }
        grid.addRow(row, new Label("Help › Keyboard Shortcuts"), new Label("F1"));
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(window.stage());
        alert.setTitle("Keyboard shortcuts");
        alert.setHeaderText("Keyboard shortcuts");
        alert.getDialogPane().setContent(grid);
        alert.show();
    }

    private void showCanvasHelp() {
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(window.stage());
        alert.setTitle("Using the canvas");
        alert.setHeaderText("Using the canvas");
        Label text = new Label(String.join("\n",
                "Add a node: drag it from the palette, or double-click it.",
                "Wire: drag from an output port (right side) to an input port (left side).",
                "Unwire or rewire: drag a wire off the input it ends in; drop it on nothing to remove it.",
                "Select: click; Shift- or Ctrl-click adds; drag on empty space for a rubber band.",
                "Move: drag the selected nodes (they snap to the grid).",
                "Pan: drag with the right or middle button, or hold Space and drag.",
                "Zoom: mouse wheel, or Ctrl + / Ctrl −; Ctrl+Shift+F fits the flow in view."));
        text.setWrapText(true);
        alert.getDialogPane().setContent(text);
        alert.show();
    }
}
