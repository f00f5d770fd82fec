package dev.flowgraph.ui;

import dev.flowgraph.ui.run.FlowSession;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Separator;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;

/** The buttons for the most used actions: files, undo, run and stop, fit. */
final class EditorToolBar {
    private final EditorWindow window;

    EditorToolBar(EditorWindow window) {
        this.window = window;
    }

    Node node() {
        Button open = button("Open", "toolbar-open", "Open a flow file", () -> {
            window.files().open();
            window.canvas().fitToView();
        });
        Button save = button("Save", "toolbar-save", "Save the flow", () -> window.files().save());
        Button undo = button("Undo", "toolbar-undo", "Undo the last edit", window::undo);
        undo.disableProperty().bind(window.document().canUndoProperty().not());
        Button redo = button("Redo", "toolbar-redo", "Redo", window::redo);
        redo.disableProperty().bind(window.document().canRedoProperty().not());
        Button run = button("▶ Run", "toolbar-run", "Start the flow in the editor (F5)", window::run);
        run.getStyleClass().add("run-button");
        Button stop = button("■ Stop", "toolbar-stop", "Stop the flow (Shift+F5)", window::stop);
        FlowSession session = window.session();
        run.disableProperty().bind(Bindings.createBooleanBinding(
                () -> session.statusProperty().get() == FlowSession.Status.RUNNING
                        || session.statusProperty().get() == FlowSession.Status.STARTING
                        || session.statusProperty().get() == FlowSession.Status.STOPPING,
                session.statusProperty()));
        stop.disableProperty().bind(Bindings.createBooleanBinding(
                () -> session.statusProperty().get() != FlowSession.Status.RUNNING, session.statusProperty()));
        Button fit = button("Fit", "toolbar-fit", "Fit the flow in view", () -> window.canvas().fitToView());
        Button theme = button("Theme", "toolbar-theme", "Switch between light and dark", window::toggleTheme);
        ToolBar bar = new ToolBar(open, save, new Separator(), undo, redo, new Separator(), run, stop,
                new Separator(), fit, theme);
        bar.setId("toolbar");
        return bar;
    }

    private static Button button(String text, String id, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setFocusTraversable(false);
        return b;
    }
}
