package dev.flowgraph.ui.model;

import dev.flowgraph.core.flow.FlowDocument;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The flow being edited: an immutable {@link FlowDocument} replaced by every edit, the file it belongs to, and
 * the undo and redo history. Because every state is a whole document, undo is exact for every kind of edit.
 */
public final class EditorDocument {
    private static final int HISTORY_LIMIT = 500;

    private final ReadOnlyObjectWrapper<FlowDocument> flow = new ReadOnlyObjectWrapper<>(empty());
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper undoLabel = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper redoLabel = new ReadOnlyStringWrapper("");
    private final Deque<Edit> undo = new ArrayDeque<>();
    private final Deque<Edit> redo = new ArrayDeque<>();
    private FlowDocument saved = flow.get();

    /** One step of the history; steps with the same non-null merge key in a row become one (typing in a field). */
    private record Edit(String label, Object mergeKey, FlowDocument before, FlowDocument after) {
    }

    public static FlowDocument empty() {
        return new FlowDocument(FlowDocument.FORMAT, "untitled", "", List.of(), List.of());
    }

    public FlowDocument flow() {
        return flow.get();
    }

    public ReadOnlyObjectProperty<FlowDocument> flowProperty() {
        return flow.getReadOnlyProperty();
    }

    public Path file() {
        return file.get();
    }

    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public boolean isDirty() {
        return dirty.get();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty undoLabelProperty() {
        return undoLabel.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty redoLabelProperty() {
        return redoLabel.getReadOnlyProperty();
    }

    /**
     * Applies one edit as one undoable step; an edit that changes nothing leaves no step.
     *
     * @param label what the user did, shown as "Undo label"
     */
    public void apply(String label, UnaryOperator<FlowDocument> change) {
        apply(label, null, change);
    }

    /**
     * Like {@link #apply(String, UnaryOperator)}, but an edit with the same {@code mergeKey} as the step just before
     * it joins that step, so the keystrokes of one field edit undo together.
     */
    public void apply(String label, Object mergeKey, UnaryOperator<FlowDocument> change) {
        FlowDocument before = flow.get();
        FlowDocument after = change.apply(before);
        if (after.equals(before)) {
            return;
        }
        Edit last = undo.peek();
        if (mergeKey != null && last != null && redo.isEmpty() && mergeKey.equals(last.mergeKey())) {
            undo.pop();
            before = last.before();
        }
        undo.push(new Edit(label, mergeKey, before, after));
        if (undo.size() > HISTORY_LIMIT) {
            undo.removeLast();
        }
        redo.clear();
        show(after);
    }

    public void undo() {
        if (!undo.isEmpty()) {
            Edit edit = undo.pop();
            redo.push(edit);
            show(edit.before());
        }
    }

    public void redo() {
        if (!redo.isEmpty()) {
            Edit edit = redo.pop();
            undo.push(edit);
            show(edit.after());
        }
    }

    /** Starts over with another document (New, Open): the history is cleared and nothing is unsaved. */
    public void reset(FlowDocument document, Path source) {
        undo.clear();
        redo.clear();
        saved = document;
        file.set(source);
        show(document);
    }

    /**
     * Everything the document holds (the flow, its file, what was last saved, the undo and redo history), put aside
     * while another flow is edited in the same window (a tab) and brought back whole.
     */
    public static final class Snapshot {
        private final FlowDocument flow;
        private final Path file;
        private final FlowDocument saved;
        private final List<Edit> undo;
        private final List<Edit> redo;

        private Snapshot(FlowDocument flow, Path file, FlowDocument saved, List<Edit> undo, List<Edit> redo) {
            this.flow = flow;
            this.file = file;
            this.saved = saved;
            this.undo = undo;
            this.redo = redo;
        }

        public Path file() {
            return file;
        }

        public boolean isDirty() {
            return !flow.equals(saved);
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(flow.get(), file.get(), saved, List.copyOf(undo), List.copyOf(redo));
    }

    /** Brings a put-aside document back, history and unsaved changes included. */
    public void restore(Snapshot snapshot) {
        undo.clear();
        undo.addAll(snapshot.undo);
        redo.clear();
        redo.addAll(snapshot.redo);
        saved = snapshot.saved;
        file.set(snapshot.file);
        show(snapshot.flow);
    }

    /** Records that the current document is what {@code target} now holds. */
    public void markSaved(Path target) {
        saved = flow.get();
        file.set(target);
        refreshState();
    }

    private void show(FlowDocument document) {
        flow.set(document);
        refreshState();
    }

    private void refreshState() {
        dirty.set(!flow.get().equals(saved));
        canUndo.set(!undo.isEmpty());
        canRedo.set(!redo.isEmpty());
        undoLabel.set(undo.isEmpty() ? "" : undo.peek().label());
        redoLabel.set(redo.isEmpty() ? "" : redo.peek().label());
    }
}
