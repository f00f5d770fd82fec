package dev.flowgraph.ui.files;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

/** The questions the editor asks about files; tests answer them without native dialogs. */
public interface FileDialogs {

    /** What to do with unsaved changes before they would be lost. */
    enum UnsavedChoice { SAVE, DISCARD, CANCEL }

    Optional<Path> chooseOpen(Window owner, Path directory);

    Optional<Path> chooseSave(Window owner, Path directory, String suggestedName);

    UnsavedChoice askUnsaved(Window owner, String flowName);

    /** The platform's file choosers and a three-button alert. */
    static FileDialogs standard() {
        return new FileDialogs() {
            @Override
            public Optional<Path> chooseOpen(Window owner, Path directory) {
                FileChooser chooser = chooser("Open flow", directory);
                return Optional.ofNullable(chooser.showOpenDialog(owner)).map(File::toPath);
            }

            @Override
            public Optional<Path> chooseSave(Window owner, Path directory, String suggestedName) {
                FileChooser chooser = chooser("Save flow", directory);
                chooser.setInitialFileName(suggestedName);
                return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath)
                        .map(p -> p.getFileName().toString().endsWith(".json") ? p
                                : p.resolveSibling(p.getFileName() + ".flow.json"));
            }

            @Override
            public UnsavedChoice askUnsaved(Window owner, String flowName) {
                ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.YES);
                ButtonType discard = new ButtonType("Don't Save", ButtonBar.ButtonData.NO);
                Alert alert = new Alert(Alert.AlertType.CONFIRMATION,
                        "Your changes will be lost if you don't save them.", save, discard, ButtonType.CANCEL);
                alert.initOwner(owner);
                alert.setHeaderText("Save the changes to " + flowName + "?");
                ButtonType answer = alert.showAndWait().orElse(ButtonType.CANCEL);
                return answer == save ? UnsavedChoice.SAVE : answer == discard ? UnsavedChoice.DISCARD
                        : UnsavedChoice.CANCEL;
            }

            private FileChooser chooser(String title, Path directory) {
                FileChooser chooser = new FileChooser();
                chooser.setTitle(title);
                chooser.getExtensionFilters().addAll(
                        new FileChooser.ExtensionFilter("Flow files", "*.flow.json", "*.json"),
                        new FileChooser.ExtensionFilter("All files", "*"));
                if (directory != null && directory.toFile().isDirectory()) {
                    chooser.setInitialDirectory(directory.toFile());
                }
                return chooser;
            }
        };
    }
}
