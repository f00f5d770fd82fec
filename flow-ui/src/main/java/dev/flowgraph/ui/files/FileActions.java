package dev.flowgraph.ui.files;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFileException;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.ui.model.EditorDocument;
import javafx.scene.control.Alert;
import javafx.stage.Window;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/** New, Open, Save, Save As and the recent-files list, with the unsaved-changes question where work could be lost. */
public final class FileActions {
    private final EditorDocument document;
    private final FileDialogs dialogs;
    private final RecentFiles recent;
    private final Supplier<Window> owner;

    public FileActions(EditorDocument document, FileDialogs dialogs, RecentFiles recent, Supplier<Window> owner) {
        this.document = document;
        this.dialogs = dialogs;
        this.recent = recent;
        this.owner = owner;
    }

    public RecentFiles recent() {
        return recent;
    }

    public void newFlow() {
        if (mayDiscard()) {
            document.reset(EditorDocument.empty(), null);
        }
    }

    public void open() {
        if (mayDiscard()) {
            dialogs.chooseOpen(owner.get(), directory()).ifPresent(this::load);
        }
    }

    public void openRecent(Path file) {
        if (mayDiscard()) {
            load(file);
        }
    }

    /** Loads a file into the editor; a bad file is reported and the current flow stays. */
    public boolean load(Path file) {
        try {
            FlowDocument flow = FlowFiles.load(file);
            document.reset(flow, file.toAbsolutePath().normalize());
            recent.add(file);
            return true;
        } catch (IOException | FlowFileException e) {
            error("Cannot open " + file.getFileName(), e.getMessage());
            return false;
        }
    }

    /** @return whether the flow was saved */
    public boolean save() {
        return document.file() == null ? saveAs() : saveTo(document.file());
    }

    public boolean saveAs() {
        Path current = document.file();
        String suggested = current != null ? current.getFileName().toString() : document.flow().name() + ".flow.json";
        return dialogs.chooseSave(owner.get(), directory(), suggested).map(this::saveTo).orElse(false);
    }

    private boolean saveTo(Path file) {
        FlowDocument flow = document.flow();
        String fileName = file.getFileName().toString();
        if ("untitled".equals(flow.name()) && fileName.endsWith(".flow.json")) {
            // A new flow takes its name from the file it is first saved as.
            String name = fileName.substring(0, fileName.length() - ".flow.json".length());
            document.apply("Name flow", f -> f.withName(name));
            flow = document.flow();
        }
        try {
            FlowFiles.save(flow, file);
            document.markSaved(file.toAbsolutePath().normalize());
            recent.add(file);
            return true;
        } catch (IOException e) {
            error("Cannot save " + file.getFileName(), e.getMessage() + "\nThe file on disk was left as it was.");
            return false;
        }
    }

    /** Asks about unsaved changes; true when it is fine to go on (saved, discarded or nothing to lose). */
    public boolean mayDiscard() {
        if (!document.isDirty()) {
            return true;
        }
        String name = document.file() == null ? document.flow().name() : document.file().getFileName().toString();
        return switch (dialogs.askUnsaved(owner.get(), name)) {
            case SAVE -> save();
            case DISCARD -> true;
            case CANCEL -> false;
        };
    }

    private Path directory() {
        Path file = document.file();
        return file != null && file.getParent() != null ? file.getParent() : Path.of("").toAbsolutePath();
    }

    private void error(String header, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR, message);
        alert.initOwner(owner.get());
        alert.setHeaderText(header);
        alert.show();
    }
}
