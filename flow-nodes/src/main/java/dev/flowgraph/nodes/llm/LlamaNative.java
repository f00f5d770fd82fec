package dev.flowgraph.nodes.llm;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads llama.cpp's native library once and sends its log to SLF4J (logger {@code llama.cpp}): its entries at their
 * own level (INFO for loading and per-request lines, WARN, ERROR), so the CLI's default level for it (ERROR) keeps it
 * quiet.
 * <p>
 * llama.cpp prints its log to C's stderr; {@link NativeStderr} catches that stream. (The binding's log callback would
 * be the obvious way, but de.kherud:llama 4.2.0 replaces it with llama.cpp's own logger whenever a model loads,
 * upstream issue 101.) Where stderr cannot be caught (not Linux), llama.cpp is silenced unless the logger is at INFO,
 * then writes its own log. The binding also prints a line to stdout when it unpacks its library, which would spoil
 * {@code flow run}'s output: that line goes to the log too.
 */
final class LlamaNative {
    static final Logger LOG = LoggerFactory.getLogger("llama.cpp");
    private static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";
    private static boolean loaded;
    private static boolean keepStderr;
    private static boolean captured;

    private LlamaNative() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        privateLibraryDirectory();
        if (!keepStderr) {
            captured = NativeStderr.capture(new LlamaLogLines(LOG));
        }
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new LineLogger(), true));
        try {
            Class.forName(LlamaModel.class.getName(), true, LlamaModel.class.getClassLoader()); // loads the library
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        } finally {
            System.setOut(stdout);
        }
        if (captured) {
            stopLogWorkerAtExit();
        }
        loaded = true;
    }

    /**
     * llama.cpp prints its log from a worker thread that stays attached to the JVM once it has logged a line
     * ({@link NativeStderr}). C's exit joins that thread after the JVM has stopped, and its detach would then wait
     * forever. Pausing llama.cpp's log in a shutdown hook lets the worker print what it holds and end while the JVM
     * still runs. ({@code Runtime.halt} skips the hooks; nothing here uses it.)
     */
    private static void stopLogWorkerAtExit() {
        try {
            NativeLibrary library = NativeLibrary.getInstance(loadedLibrary().toString());
            Function main = library.getFunction("_Z15common_log_mainv"); // common_log_main()
            Function pause = library.getFunction("_Z16common_log_pauseP10common_log"); // common_log_pause(common_log*)
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> pause.invokeVoid(new Object[] {main.invokePointer(new Object[0])}), "llama.cpp-log-stop"));
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.debug("cannot stop llama.cpp's log worker at exit: {}", e.toString());
        }
    }

    /** Where the binding's native library was loaded from (its name in this process's memory map). */
    private static Path loadedLibrary() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.endsWith("/libjllama.so")).map(l -> Path.of(l.substring(l.indexOf('/'))))
                    .findFirst().orElseThrow(() -> new IOException("libjllama.so is not mapped"));
        }
    }

    /**
     * Leaves llama.cpp's stderr alone in this process: for a child process whose parent reads its raw stderr for a
     * {@code GGML_ASSERT}, which must not depend on the logging setup the child happens to find. Call before
     * {@link #load()}.
     */
    static synchronized void keepNativeStderr() {
        keepStderr = true;
    }

    /**
     * Sets a model's logging options: prefixed entries when its log is caught, else quiet unless asked for. Every
     * model of the process must be loaded with these: llama.cpp's log is one for the process, and one model loaded
     * with {@code --log-disable} silences it for all.
     */
    static ModelParameters logOptions(ModelParameters p) {
        if (captured) {
            p.enableLogPrefix();
            if (LOG.isDebugEnabled()) {
                p.setVerbose(); // llama.cpp's debug entries are many (some per token): only when they will be shown
            }
        } else if (!LOG.isInfoEnabled()) {
            p.disableLog();
        }
        return p;
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
