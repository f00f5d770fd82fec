package dev.flowgraph.examples;

import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the {@code ./flow} launcher does for a fast start, seen from the JVM it starts: the classes come from the
 * class-data archive it records once per build (and not when {@code FLOW_CLASS_ARCHIVE=off}), and the native
 * libraries of llama.cpp and SQLite are loaded from the folder it unpacked them into, not from the temp folder.
 * Runs after flow-cli is packaged, so the launcher starts the built command line.
 */
class LauncherTest {
    private static final String MAIN_CLASS = "dev.flowgraph.cli.FlowCommand";

    @Test
    void theCommandLineStartsFromTheClassArchiveTheLauncherRecorded() throws Exception {
        String loaded = flow(Map.of("FLOW_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(line(loaded, MAIN_CLASS)).as("how the JVM loaded %s", MAIN_CLASS)
                .contains("source: shared objects file");
        assertThat(Files.size(TestModels.projectRoot().resolve("flow-cli/target/flow.jsa"))).isGreaterThan(1_000_000);

        String without = flow(Map.of("FLOW_JAVA_OPTS", "-Xlog:class+load=info", "FLOW_CLASS_ARCHIVE", "off"),
                "--version");
        assertThat(line(without, MAIN_CLASS)).contains("source: file:").doesNotContain("shared objects file");
    }

    @Test
    void nativeLibrariesAreUnpackedOnceBesideTheBuildAndLoadedFromThere() throws Exception {
        Path nativeDir = TestModels.projectRoot().resolve("flow-cli/target/native");
        String properties = flow(Map.of("FLOW_JAVA_OPTS", "-XshowSettings:properties"), "--version");
        assertThat(properties).contains("de.kherud.llama.lib.path = " + nativeDir)
                .contains("org.sqlite.lib.path = " + nativeDir);
        assertThat(nativeDir.resolve("libjllama.so")).isRegularFile();
        assertThat(nativeDir.resolve("libsqlitejdbc.so")).isRegularFile();
    }

    private static String line(String output, String className) {
        return output.lines().filter(l -> l.contains(" " + className + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(className + " was never loaded:\n" + output));
    }

    /** Runs {@code ./flow args} with {@code env} added; returns stdout and stderr together. */
    private static String flow(Map<String, String> env, String... args) throws Exception {
        Path root = TestModels.projectRoot();
        // The launcher records its archive by serving the example flow, so the test model must be where it looks.
        assertThat(root.resolve("models/stories260K.gguf")).as("the test model; ./scripts/fetch-models.sh puts it there")
                .isRegularFile();
        var command = new java.util.ArrayList<String>();
        command.add(root.resolve("flow").toString());
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }
}
