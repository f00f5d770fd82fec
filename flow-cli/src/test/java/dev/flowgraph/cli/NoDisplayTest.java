package dev.flowgraph.cli;

import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** On a machine with no display, the headless commands run (JavaFX is on the class path but never started). */
class NoDisplayTest {
    private static final Path EXAMPLE = TestModels.projectRoot().resolve("examples/story-api.flow.json");

    private static Result flow(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FlowCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private record Result(int code, String out, String err) {
    }

    @Test
    void headlessCommandsWorkAndTheEditorExplainsWhatItNeeds() throws Exception {
        Result validate = flow("validate", EXAMPLE.toString());
        assertThat(validate.code()).isZero();
        assertThat(validate.out()).contains("is valid");

        Result nodes = flow("nodes");
        assertThat(nodes.code()).isZero();
        assertThat(nodes.out()).contains("api.element", "llm.local");

        Result editor = flow("editor", EXAMPLE.toString());
        assertThat(editor.code()).isEqualTo(2);
        assertThat(editor.err()).contains("needs a display").contains("xvfb-run -a ./flow editor");
    }
}
