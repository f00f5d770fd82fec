package dev.flowgraph.ui.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.prefs.Preferences;

/** The flow files opened or saved lately, newest first, kept in the user's preferences. */
public final class RecentFiles {
    private static final String KEY = "recentFiles";
    private static final int LIMIT = 8;
    private final Preferences store;

    public RecentFiles(Preferences store) {
        this.store = store;
    }

    /** The files that still exist. */
    public List<Path> list() {
        return Arrays.stream(store.get(KEY, "").split("\n")).filter(s -> !s.isBlank()).map(Path::of)
                .filter(Files::isRegularFile).toList();
    }

    public void add(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>(list());
        files.remove(abs);
        files.add(0, abs);
        List<String> kept = files.stream().limit(LIMIT).map(Path::toString).toList();
        store.put(KEY, String.join("\n", kept));
    }
}
