package dev.flowgraph.ui;

import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.ui.files.FileDialogs;

import java.util.function.Function;
import java.util.prefs.Preferences;

/**
 * What the editor needs from outside: the node types, the environment for {@code ${env:NAME}} settings, the file
 * dialogs and where to keep preferences (recent files, theme). Tests pass their own.
 */
public record EditorOptions(NodeRegistry registry, Function<String, String> environment, FileDialogs dialogs,
                            Preferences preferences) {

    public static EditorOptions standard() {
        return new EditorOptions(NodeRegistry.discover(), System::getenv, FileDialogs.standard(),
                Preferences.userRoot().node("dev/flowgraph/editor"));
    }

    /** The run history the Runs panel opens first: {@code $FLOW_STORE}, else the SQLite file {@code flow serve} uses. */
    public String storeUrl() {
        String env = environment.apply("FLOW_STORE");
        return env == null || env.isBlank() ? dev.flowgraph.store.StoreUrl.DEFAULT : env;
    }

    public EditorOptions withDialogs(FileDialogs replaced) {
        return new EditorOptions(registry, environment, replaced, preferences);
    }

    public EditorOptions withEnvironment(Function<String, String> replaced) {
        return new EditorOptions(registry, replaced, dialogs, preferences);
    }
}
