package dev.flowgraph.nodes.llm;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * What {@code threads: auto} measured, remembered per model and machine, so a restart loads the model once instead of
 * timing every candidate again. The key is the model's fingerprint (SHA-256 of its size, first and last MiB: the GGUF
 * header and tensor table, without reading gigabytes), the load settings, the CPU model and the core count; any change
 * measures again, and so does {@code FLOW_RETUNE_THREADS=1}. Kept in {@code threads.properties} under
 * {@code $FLOW_CACHE_DIR}, else {@code $XDG_CACHE_HOME/flowgraph}, else {@code ~/.cache/flowgraph}.
 */
final class ThreadChoices {
    private static final int EDGE = 1 << 20;

    private final Path file;

    ThreadChoices(Path file) {
        this.file = file;
    }

    /** The cache in its usual place ({@code flowgraph.cacheDir} as a system property overrides it, for tests). */
    static ThreadChoices standard() {
        String dir = System.getProperty("flowgraph.cacheDir", System.getenv("FLOW_CACHE_DIR"));
        if (dir == null || dir.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            dir = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                    .resolve("flowgraph").toString();
        }
        return new ThreadChoices(Path.of(dir, "threads.properties"));
    }

    /** Whether the user asked to measure again. */
    static boolean retuneAsked() {
        return "1".equals(System.getenv("FLOW_RETUNE_THREADS")) || Boolean.getBoolean("flowgraph.retuneThreads");
    }

    /** The key of a model loaded with these settings on this machine. */
    static String key(Path model, int contextSize, int parallel) throws IOException {
        MessageDigest sha = sha256();
        try (RandomAccessFile in = new RandomAccessFile(model.toFile(), "r")) {
            long size = in.length();
            sha.update(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
            byte[] edge = new byte[(int) Math.min(EDGE, size)];
            in.readFully(edge);
            sha.update(edge);
            in.seek(Math.max(0, size - edge.length));
            in.readFully(edge);
            sha.update(edge);
        }
        String machine = cpuModel() + "|" + Runtime.getRuntime().availableProcessors();
        sha.update(("|" + contextSize + "|" + parallel + "|" + machine).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    OptionalInt remembered(String key) {
        Properties p = read();
        String value = p.getProperty(key);
        try {
            return value == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Remembers a choice; a cache that cannot be written is only a slower next start, never an error. */
    void remember(String key, int threads) {
        try {
            Files.createDirectories(file.getParent());
            Properties p = read();
            p.setProperty(key, Integer.toString(threads));
            Path temp = Files.createTempFile(file.getParent(), ".threads", ".tmp");
            try (var out = Files.newOutputStream(temp)) {
                p.store(out, "threads: auto measurements of Flowgraph's Local LLM (model fingerprint -> threads)");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ThreadChoices.class).debug("cannot remember the thread choice in {}: {}",
                    file, e.toString());
        }
    }

    private Properties read() {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                return new Properties(); // unreadable: measure again and write it anew
            }
        }
        return p;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux: the architecture and the core count must do
        }
        return System.getProperty("os.arch");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
