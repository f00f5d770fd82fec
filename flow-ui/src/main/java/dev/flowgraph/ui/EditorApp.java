package dev.flowgraph.ui;

import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The JavaFX application. Kept apart from the {@code flow} command's main class so headless commands never touch
 * the toolkit; start it with {@link EditorLauncher}.
 */
public final class EditorApp extends Application {

    @Override
    public void start(Stage stage) {
        EditorLauncher.Request request = EditorLauncher.request();
        EditorWindow window = new EditorWindow(stage, EditorOptions.standard());
        if (request.file() != null) {
            window.open(request.file());
        }
        stage.show();
        window.canvas().requestFocus();
        if (request.screenshot() != null) {
            // Let the first layout and CSS passes settle, then capture what the window shows and quit.
            PauseTransition settle = new PauseTransition(Duration.seconds(1.5));
            settle.setOnFinished(e -> {
                window.canvas().fitToView();
                // Show a node's settings too: the last node of the flow, usually the model.
                var nodes = window.document().flow().nodes();
                if (!nodes.isEmpty()) {
                    window.canvas().select(java.util.Set.of(nodes.get(nodes.size() - 1).id()));
                }
                Platform.runLater(() -> {
                    Screenshots.save(stage.getScene(), request.screenshot());
                    window.session().shutdown();
                    Platform.exit();
                });
            });
            settle.play();
        }
    }
}
