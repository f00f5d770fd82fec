package dev.flowgraph.nodes.llm;

import de.kherud.llama.LlamaModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tries a GGUF model with a pooling type in a child JVM before the flow loads it in-process. Some combinations make
 * llama.cpp abort the process ({@code GGML_ASSERT}: the test model with {@code mean}), others give every text the
 * same vector ({@code none}); either is refused with a message instead of taking the flow down or filling an index
 * with useless vectors. Each model and pooling type is probed once per process.
 */
final class PoolingProbe {
    private static final Map<String, String> PROBED = new ConcurrentHashMap<>();
    private static final String OK = "ok";
    private static final long TIMEOUT_SECONDS = 120;

    private PoolingProbe() {
    }

    /** @throws IllegalStateException saying why the pooling type cannot be used with this model */
    static void check(Path model, String pooling) {
        String key;
        try {
            key = model.toRealPath() + "|" + Files.size(model) + "|" + Files.getLastModifiedTime(model) + "|" + pooling;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + model + ": " + e.getMessage(), e);
        }
        String verdict = PROBED.computeIfAbsent(key, k -> probe(model, pooling));
        if (!verdict.equals(OK)) {
            throw new IllegalStateException("pooling '" + pooling + "' cannot be used with " + model.getFileName()
                    + ": " + verdict + ". Choose the pooling type the model was made for (the test model "
                    + "stories260K.gguf works with 'last').");
        }
    }

    private static String probe(Path model, String pooling) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PoolingProbe.class.getName(), model.toString(), pooling);
        try {
            Path output = Files.createTempFile("flowgraph-probe-", ".log");
            try {
                Process child = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    return "trying it took more than " + TIMEOUT_SECONDS + " s";
                }
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                if (child.exitValue() == 0 && lines.contains(OK)) {
                    return OK;
                }
                String reason = lines.stream().filter(l -> l.startsWith("refused: ")).findFirst()
                        .map(l -> l.substring("refused: ".length()))
                        .orElseGet(() -> "llama.cpp aborted when trying it (exit " + child.exitValue() + lastAssert(lines) + ")");
                return reason;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot try pooling '" + pooling + "' in a separate process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying pooling '" + pooling + "'", e);
        }
    }

    private static String lastAssert(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            int at = lines.get(i).indexOf("GGML_ASSERT");
            if (at >= 0) {
                return ", " + lines.get(i).substring(at).strip();
            }
        }
        return "";
    }

    /** The child: embeds two different texts; exits 0 and prints "ok" when they get different vectors. */
    public static void main(String[] args) {
        LlamaNative.keepNativeStderr(); // the parent looks for GGML_ASSERT in this process's raw stderr
        try (LlamaModel model = GgufEmbedder.load(Path.of(args[0]), args[1])) {
            float[] a = model.embed("A cat sat on the mat.");
            float[] b = model.embed("The stock market fell sharply.");
            if (a.length == 0 || Arrays.equals(a, b)) {
                System.out.println("refused: it gives every text the same vector");
            } else {
                System.out.println(OK);
            }
        } catch (RuntimeException e) {
            System.out.println("refused: llama.cpp failed: " + e.getMessage());
        }
        System.out.flush();
        System.exit(0); // llama.cpp's threads would keep the JVM alive
    }
}
