package dev.flowgraph.ui.inspect;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;

import java.util.ArrayList;
import java.util.List;

/**
 * A long stream's text (thousands of tokens) shown line by line in a list that lays out and draws only the lines in
 * view: a text area lays out all of it first, which made opening a long answer take a third of a second.
 */
public final class LongTextView extends ListView<String> {
    /** Text longer than this goes into a long text view rather than a text area. */
    static final int LONG = 4_000;
    /** Lines are cut at this length so that no single cell holds a page. */
    private static final int LINE = 240;

    private final StringBuilder text = new StringBuilder();

    LongTextView(String initial, String id) {
        setId(id);
        getStyleClass().add("long-text");
        setPrefHeight(300);
        setCellFactory(v -> new ListCell<>() {
            {
                setWrapText(true);
                prefWidthProperty().bind(LongTextView.this.widthProperty().subtract(24));
            }

            @Override
            protected void updateItem(String line, boolean empty) {
                super.updateItem(line, empty);
                setText(empty ? null : line);
            }
        });
        setText(initial);
    }

    public String getText() {
        return text.toString();
    }

    void setText(String replaced) {
        text.setLength(0);
        text.append(replaced);
        getItems().setAll(lines(replaced));
    }

    /** Adds a piece at the end (a replayed token): the last line grows, a line break starts the next. */
    void append(String piece) {
        text.append(piece);
        List<String> pieceLines = lines(piece);
        if (getItems().isEmpty()) {
            getItems().addAll(pieceLines);
            return;
        }
        int last = getItems().size() - 1;
        String joined = getItems().get(last) + pieceLines.get(0);
        if (joined.length() > LINE) {
            List<String> cut = lines(joined);
            getItems().set(last, cut.get(0));
            getItems().addAll(cut.subList(1, cut.size()));
        } else {
            getItems().set(last, joined);
        }
        getItems().addAll(pieceLines.subList(1, pieceLines.size()));
    }

    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        for (String line : s.split("\n", -1)) {
            for (int i = 0; i < line.length(); i += LINE) {
                out.add(line.substring(i, Math.min(line.length(), i + LINE)));
            }
            if (line.isEmpty()) {
                out.add("");
            }
        }
        return out;
    }
}
