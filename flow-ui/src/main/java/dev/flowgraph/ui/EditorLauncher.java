package dev.flowgraph.ui;

import javafx.application.Application;

import java.nio.file.Path;

/** Starts the editor window from the {@code flow editor} command; returns when the window closes. */
public final class EditorLauncher {
    /** What the command asked for: a file to open, and where to write a screenshot (then quit), if anywhere. */
    record Request(Path file, Path screenshot) {
    }

    private static volatile Request request = new Request(null, null);

    private EditorLauncher() {
    }

    public static void launch(Path file, Path screenshot) {
        request = new Request(file, screenshot);
        Application.launch(EditorApp.class);
    }

    static Request request() {
        return request;
    }
}
