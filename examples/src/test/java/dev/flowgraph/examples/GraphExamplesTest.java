package dev.flowgraph.examples;

import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The branching, looping and nesting examples, run as the README shows, from the project root with {@code ./flow}
 * (after flow-cli is packaged, so the script starts the built command line).
 */
class GraphExamplesTest {
    private static final Path ROOT = TestModels.projectRoot();

    private record Result(int code, String out, String err) {
    }

    private static Result flow(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("flow").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err.get());
    }

    @Test
    void forEachWritesOneSectionPerItemInItemOrder() throws Exception {
        Result r = flow("run", "examples/foreach.flow.json", "--prompt", "a cat, a dog, a bird");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> headings = r.out().lines().filter(l -> l.startsWith("## ")).toList();
        assertThat(headings).containsExactly("## a cat", "## a dog", "## a bird");
        for (String section : r.out().split("## ")) {
            if (!section.isBlank()) {
                assertThat(section.lines().skip(1).filter(l -> !l.isBlank()).count()).as(section).isPositive();
            }
        }
    }

    @Test
    void theStorySubFlowRunsOnItsOwn() throws Exception {
        Result r = flow("run", "examples/subflows/story.flow.json", "--input", "topic=a cat");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).isNotEmpty();

        Result missing = flow("run", "examples/subflows/story.flow.json");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("give the flow's input 'topic' with --input topic=VALUE (or --prompt VALUE)");
    }

    @Test
    void flowNodesShowsEachNodesPortsAsItsSettingsMakeThem() throws Exception {
        Result r = flow("nodes", "--flow", "examples/router-api.flow.json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("route — Switch (route.switch)\n  in   in (any, required)",
                "  out  question (any)", "  out  default (any)",
                "question_prefix — Template (text.template)\n  in   answer (any, required)");
        Result each = flow("nodes", "--flow", "examples/foreach.flow.json");
        assertThat(each.out()).contains("prompt — Flow input (flow.input)\n  out  value (text)");
    }
}
