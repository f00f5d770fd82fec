package dev.flowgraph.ui;

import java.util.List;

/** Every editor action with its shortcut, declared once for the menus, the tool bar and the Help list. */
final class EditorActions {
    private final EditorWindow w;

    EditorActions(EditorWindow window) {
        this.w = window;
    }

    List<Shortcut> shortcuts() {
        return List.of(
                Shortcut.of("File", "New", "Shortcut+N", () -> w.files().newFlow()),
                Shortcut.of("File", "Open…", "Shortcut+O", () -> {
                    w.files().open();
                    w.canvas().fitToView();
                }),
                Shortcut.of("File", "Save", "Shortcut+S", () -> w.files().save()),
                Shortcut.of("File", "Save As…", "Shortcut+Shift+S", () -> w.files().saveAs()),
                Shortcut.of("File", "Close", "Shortcut+W", w::close),
                Shortcut.of("Edit", "Undo", "Shortcut+Z", w::undo),
                Shortcut.of("Edit", "Redo", "Shortcut+Y", w::redo),
                Shortcut.of("Edit", "Redo (alternative)", "Shortcut+Shift+Z", w::redo),
                Shortcut.of("Edit", "Copy", "Shortcut+C", w::copy),
                Shortcut.of("Edit", "Paste", "Shortcut+V", w::paste),
                Shortcut.of("Edit", "Duplicate", "Shortcut+D", w::duplicate),
                Shortcut.of("Edit", "Delete", "Delete", w::deleteSelection),
                Shortcut.of("Edit", "Select All", "Shortcut+A", w::selectAll),
                Shortcut.of("Edit", "Add Node…", "Shortcut+K", () -> w.canvas().requestQuickAdd()),
                Shortcut.of("Edit", "Add Note", "Shortcut+Shift+N", w::addNote),
                Shortcut.of("Edit", "Group Selection", "Shortcut+G", w::groupSelection),
                Shortcut.of("Edit", "Ungroup", "Shortcut+Shift+G", w::ungroupSelection),
                Shortcut.of("Edit", "Extract to Sub-flow…", "Shortcut+Shift+E", () -> w.subFlows().extractSelection()),
                Shortcut.of("Arrange", "Auto Layout", "Shortcut+Shift+L", () -> w.arrange().autoLayout()),
                Shortcut.of("Arrange", "Align Left Edges", "Shortcut+Shift+Left", () -> w.arrange().align(true)),
                Shortcut.of("Arrange", "Align Top Edges", "Shortcut+Shift+Up", () -> w.arrange().align(false)),
                Shortcut.of("Arrange", "Distribute Horizontally", "Shortcut+Shift+H", () -> w.arrange().distribute(true)),
                Shortcut.of("Arrange", "Distribute Vertically", "Shortcut+Shift+V", () -> w.arrange().distribute(false)),
                Shortcut.of("View", "Zoom In", "Shortcut+Equals", () -> w.canvas().zoomBy(1.25)),
                Shortcut.of("View", "Zoom Out", "Shortcut+Minus", () -> w.canvas().zoomBy(0.8)),
                Shortcut.of("View", "Actual Size", "Shortcut+0", () -> w.canvas().resetZoom()),
                Shortcut.of("View", "Fit to View", "Shortcut+Shift+F", () -> w.canvas().fitToView()),
                Shortcut.of("View", "Minimap", "Shortcut+Shift+M",
                        () -> w.canvas().minimap().setVisible(!w.canvas().minimap().isVisible())),
                Shortcut.of("View", "Dark Theme", "Shortcut+Shift+T", w::toggleTheme),
                Shortcut.of("Run", "Run Flow", "F5", w::run),
                Shortcut.of("Run", "Stop Flow", "Shift+F5", w::stop),
                Shortcut.of("Run", "Clear Run Results", "Shortcut+Shift+K", w::clearRun));
    }
}
