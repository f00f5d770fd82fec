package dev.flowgraph.nodes.llm;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.args.LogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads llama.cpp's native library once and connects its logging to SLF4J (logger {@code llama.cpp}).
 * <p>
 * The binding prints a line to stdout when it unpacks its library, which would spoil {@code flow run}'s
 * output: that line goes to the log instead. Its log callback is installed, but de.kherud:llama 4.2.0 never
 * calls it (upstream issue 101), so llama.cpp's own stderr logging is switched off unless the {@code llama.cpp}
 * logger is at DEBUG (see {@link #verbose()}).
 */
final class LlamaNative {
    static final Logger LOG = LoggerFactory.getLogger("llama.cpp");
    private static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";
    private static boolean loaded;

    private LlamaNative() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        privateLibraryDirectory();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new LineLogger(), true));
        try {
            LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {
                String text = message.strip();
                switch (level) {
                    case ERROR -> LOG.error(text);
                    case WARN -> LOG.warn(text);
                    case INFO -> LOG.debug(text);
                    default -> LOG.trace(text);
                }
            });
        } finally {
            System.setOut(stdout);
        }
        loaded = true;
    }

    /**
     * The binding unpacks its library into java.io.tmpdir under a fixed name and deletes "old" copies there:
     * two processes starting at once (several instances behind NGINX) could pull it from under each other.
     * Each process unpacks into a directory of its own instead, removed when it exits.
     */
    private static void privateLibraryDirectory() {
        if (System.getProperty(TMPDIR_PROPERTY) != null) {
            return; // set by the user
        }
        try {
            Path dir = Files.createTempDirectory("flowgraph-llama-");
            dir.toFile().deleteOnExit(); // registered first, so it runs after the library file's own deletion
            System.setProperty(TMPDIR_PROPERTY, dir.toString());
        } catch (IOException e) {
            LOG.warn("cannot make a private directory for llama.cpp's library ({}); using the shared one", e.toString());
        }
    }

    /** Whether llama.cpp may write its own (stderr) log. */
    static boolean verbose() {
        return LOG.isDebugEnabled();
    }

    private static final class LineLogger extends OutputStream {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(int b) {
            if (b == '\n') {
                LOG.debug(line.toString());
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }
}
