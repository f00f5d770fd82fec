package dev.flowgraph.ui;

import javafx.scene.input.KeyCombination;

/** An editor action with its keyboard shortcut; the menus and the Help list are made from the same records. */
public record Shortcut(String menu, String name, KeyCombination keys, Runnable action) {

    public static Shortcut of(String menu, String name, String keys, Runnable action) {
        return new Shortcut(menu, name, keys == null ? null : KeyCombination.keyCombination(keys), action);
    }

    public String keysText() {
        return keys == null ? "" : keys.getDisplayText();
    }
}
