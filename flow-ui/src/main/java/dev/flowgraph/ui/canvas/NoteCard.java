package dev.flowgraph.ui.canvas;

import dev.flowgraph.core.flow.Note;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.TextFlow;

import java.util.function.BiConsumer;

/** A sticky note on the canvas: its Markdown drawn as styled text; double-click edits it in place. */
public final class NoteCard extends Pane {
    private static final double PADDING = 10;

    private Note note;
    private final BiConsumer<String, String> edited;
    private TextArea editor;

    /** @param edited told the note's id and new text when an edit is committed */
    NoteCard(Note note, BiConsumer<String, String> edited) {
        this.edited = edited;
        getStyleClass().add("note-card");
        setId("note-" + note.id());
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        show(note);
    }

    public String noteId() {
        return note.id();
    }

    Note note() {
        return note;
    }

    /** The text as rendered (for tests and screen readers). */
    public String renderedText() {
        StringBuilder out = new StringBuilder();
        getChildren().stream().filter(TextFlow.class::isInstance).map(TextFlow.class::cast)
                .flatMap(f -> f.getChildren().stream()).filter(javafx.scene.text.Text.class::isInstance)
                .forEach(t -> out.append(((javafx.scene.text.Text) t).getText()));
        return out.toString();
    }

    void show(Note shown) {
        this.note = shown;
        setPrefSize(shown.width(), shown.height());
        setMinSize(shown.width(), shown.height());
        setMaxSize(shown.width(), shown.height());
        relocate(shown.position().x(), shown.position().y());
        if (editor == null) {
            TextFlow text = MarkdownText.render(shown.text().isBlank() ? "*Double-click to write a note.*" : shown.text());
            text.relocate(PADDING, PADDING);
            text.setPrefWidth(shown.width() - 2 * PADDING);
            text.setMouseTransparent(true);
            getChildren().setAll(text);
        }
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("selected"), selected);
    }

    /** Opens the note's Markdown for editing; focus leaving, or Escape, commits it. */
    public void edit() {
        if (editor != null) {
            return;
        }
        editor = new TextArea(note.text());
        editor.setId("note-editor");
        editor.setWrapText(true);
        editor.setPrefSize(note.width(), note.height());
        editor.focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                commit();
            }
        });
        editor.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                commit();
                e.consume();
            }
        });
        getChildren().setAll(editor);
        editor.requestFocus();
    }

    private void commit() {
        if (editor == null) {
            return;
        }
        String text = editor.getText();
        editor = null;
        show(note);
        if (!text.equals(note.text())) {
            edited.accept(note.id(), text);
        }
    }
}
