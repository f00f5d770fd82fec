package dev.flowgraph.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the test model for tests that need one. Never skips: when the file is missing the test fails and
 * says where to put it.
 */
public final class TestModels {
    public static final String STORIES = "stories260K.gguf";

    private TestModels() {
    }

    /** The project root (the folder holding the root pom and ./flow), from any module's working directory. */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("flow"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the project root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** What a GGUF file's header says of itself: its metadata entries and tensors. */
    public record GgufHeader(int version, long tensors, long metadataEntries) {
    }

    /** Reads the fixed GGUF header (magic, version, tensor count, metadata count; little-endian) of {@code model}. */
    public static GgufHeader ggufHeader(Path model) throws java.io.IOException {
        try (var channel = java.nio.channels.FileChannel.open(model)) {
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && channel.read(header) >= 0) {
                // read the 24 bytes
            }
            header.flip();
            if (header.remaining() < 24 || header.getInt() != 0x46554747) { // "GGUF"
                throw new AssertionError(model + " is not a GGUF file");
            }
            return new GgufHeader(header.getInt(), header.getLong(), header.getLong());
        }
    }

    public static Path stories() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("FLOWGRAPH_TEST_MODEL");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        Path root = projectRoot();
        candidates.add(root.resolve("models").resolve(STORIES));
        candidates.add(root.resolveSibling("shared").resolve("models").resolve(STORIES));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new AssertionError("The test model " + STORIES + " is missing. Run ./scripts/fetch-models.sh, or "
                + "download tinyllamas/stories260K.gguf from huggingface.co/ggml-org/models into "
                + root.resolve("models") + " (or set FLOWGRAPH_TEST_MODEL to its path). Looked at: " + candidates);
    }
}
