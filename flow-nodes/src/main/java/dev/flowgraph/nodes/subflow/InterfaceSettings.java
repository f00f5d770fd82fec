package dev.flowgraph.nodes.subflow;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.SettingSpec;

import java.util.Map;

/**
 * The settings that declare one port of a flow's interface, shared by Flow input and Flow output, and read from a
 * sub-flow's file by the nodes that call it.
 */
final class InterfaceSettings {
    static final String NAME = "name";
    static final String DATA_TYPE = "dataType";
    static final String DESCRIPTION = "description";
    static final String NAME_PATTERN = "[A-Za-z_][A-Za-z0-9_-]*";
    private static final String TEXT = "text";

    private InterfaceSettings() {
    }

    static SettingSpec name(String defaultName) {
        return SettingSpec.string(NAME, defaultName).matching(NAME_PATTERN).asRequired()
                .help("The port's name on the calling node (letters, digits, '_', '-').");
    }

    /** @param what how the port's values go, as in "What the port takes" */
    static SettingSpec dataType(String what) {
        return SettingSpec.choice(DATA_TYPE, TEXT, TEXT, "json", "chat")
                .help(what + ": text, a JSON value, or a conversation.");
    }

    static SettingSpec description() {
        return SettingSpec.text(DESCRIPTION, "").help("Shown with the port on the calling node.");
    }

    /** The declared type of a running Flow input or output. */
    static DataType typeOf(NodeSettings settings) {
        return type(settings.string(DATA_TYPE));
    }

    /** A port declared by a node in a sub-flow's file, its settings as written there. */
    record Declared(String name, DataType type, String description) {
        static Declared from(Map<String, Object> written, String defaultName) {
            return new Declared(String.valueOf(written.getOrDefault(NAME, defaultName)),
                    InterfaceSettings.type(String.valueOf(written.getOrDefault(DATA_TYPE, TEXT))),
                    String.valueOf(written.getOrDefault(DESCRIPTION, "")));
        }
    }

    /** The types a flow's interface can carry: text, JSON and chat. */
    static boolean carries(DataType type) {
        return type == DataType.TEXT || type == DataType.JSON || type == DataType.CHAT;
    }

    /** The setting value for a type the interface carries. */
    static String nameOf(DataType type) {
        if (!carries(type)) {
            throw new IllegalArgumentException("a flow's inputs and outputs carry text, JSON or chat, not " + type.label());
        }
        return type.label();
    }

    static DataType type(String name) {
        return switch (name) {
            case "json" -> DataType.JSON;
            case "chat" -> DataType.CHAT;
            default -> DataType.TEXT;
        };
    }
}
