package dev.flowgraph.nodes.flows;

import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.validate.FlowValidator;
import dev.flowgraph.core.validate.Problem;
import dev.flowgraph.nodes.llm.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Sub-flows nested two deep, sharing the parent's model, cancelled with it, and refused when they include themselves. */
class SubFlowTest {
    @TempDir
    Path dir;

    private void innerAndMiddle(int maxTokens, boolean ignoreEos) throws Exception {
        Files.createDirectories(dir.resolve("parts/deeper"));
        TestGraphs.flow("inner")
                .node("topic", "flow.input", "name", "topic", "description", "What the story is about")
                .node("prompt", "text.template", "template", "Once upon a time, {{topic}}", "output", "user")
                .node("llm", "llm.local", "modelPath", TestGraphs.model(), "maxTokens", maxTokens,
                        "ignoreEos", ignoreEos)
                .node("story", "flow.output", "name", "story")
                .wire("topic.value -> prompt.topic").wire("prompt.out -> llm.chat").wire("llm.text -> story.value")
                .save(dir.resolve("parts/deeper"), "inner.flow.json");
        TestGraphs.flow("middle")
                .node("topic", "flow.input", "name", "topic")
                .node("inner", "flow.subflow", "flow", "deeper/inner.flow.json") // relative to middle's own folder
                .node("story", "flow.output", "name", "story")
                .wire("topic.value -> inner.topic").wire("inner.story -> story.value")
                .save(dir.resolve("parts"), "middle.flow.json");
    }

    @Test
    void subFlowsNestTwoDeepShareTheParentsModelAndAreTracedUnderTheirNode() throws Exception {
        innerAndMiddle(16, false);
        Path parent = TestGraphs.flow("parent")
                .node("topic", "flow.input", "name", "topic")
                .node("middle", "flow.subflow", "flow", "parts/middle.flow.json")
                .node("story", "flow.output", "name", "story")
                .node("prompt", "text.template", "template", "{{topic}}", "output", "user")
                .node("own_llm", "llm.local", "modelPath", TestGraphs.model(), "maxTokens", 16)
                .node("own", "flow.output", "name", "own")
                .wire("topic.value -> middle.topic").wire("middle.story -> story.value")
                .wire("topic.value -> prompt.topic").wire("prompt.out -> own_llm.chat").wire("own_llm.text -> own.value")
                .save(dir, "parent.flow.json");
        int loadsBefore = SharedModels.loads();
        try (FlowCall flow = FlowCall.start(parent)) {
            assertThat(SharedModels.loads() - loadsBefore).as("parent and sub-flow load the model once").isEqualTo(1);
            FlowCall.Result result = flow.call(Map.of("topic", "a cat"));
            assertThat((String) result.value("story")).isNotBlank();
            assertThat((String) result.value("own")).isNotBlank();
            assertThat(result.run().trace().node("middle/inner/llm")).as("nested trace").isPresent();
            assertThat(result.run().trace().node("middle/inner/llm").orElseThrow().tokensOut()).isEqualTo(16);
        }
    }

    @Test
    void cancellingARunStopsTheWorkInsideItsSubFlows() throws Exception {
        innerAndMiddle(1_000_000, true); // a story that would take minutes
        Path parent = TestGraphs.flow("parent")
                .node("topic", "flow.input", "name", "topic")
                .node("middle", "flow.subflow", "flow", "parts/middle.flow.json")
                .node("story", "flow.output", "name", "story")
                .wire("topic.value -> middle.topic").wire("middle.story -> story.value")
                .save(dir, "parent.flow.json");
        try (FlowCall flow = FlowCall.start(parent)) {
            CompletableFuture<FlowCall.Result> call = flow.callAsync(Map.of("topic", "a cat"));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (flow.lastRun.trace().node("middle/inner/llm").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(flow.lastRun.trace().node("middle/inner/llm")).as("the innermost model started").isPresent();
            Thread.sleep(200);
            assertThat(call).isNotDone();
            long cancelled = System.nanoTime();
            flow.lastRun.cancel("test");
            FlowCall.Result result = call.get(2, TimeUnit.SECONDS);
            assertThat((System.nanoTime() - cancelled) / 1e9).isLessThan(2.0);
            assertThat(((Packet.End) result.end("story")).finishReason()).isEqualTo(Packet.End.CANCELLED);
        }
    }

    @Test
    void aSubFlowThatIncludesItselfIsAValidationProblem() throws Exception {
        TestGraphs.flow("a").node("in", "flow.input").node("b", "flow.subflow", "flow", "b.flow.json")
                .node("out", "flow.output").wire("in.value -> b.input").wire("b.output -> out.value")
                .save(dir, "a.flow.json");
        TestGraphs.flow("b").node("in", "flow.input").node("a", "flow.subflow", "flow", "a.flow.json")
                .node("out", "flow.output").wire("in.value -> a.input").wire("a.output -> out.value")
                .save(dir, "b.flow.json");
        Path a = dir.resolve("a.flow.json");
        List<Problem> problems = new FlowValidator(NodeRegistry.discover()).validate(FlowFiles.load(a), PortScope.of(a));
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.nodeId()).isEqualTo("b");
            assertThat(p.subject()).isEqualTo("flow");
            assertThat(p.message()).contains("includes itself: a.flow.json → b.flow.json → a.flow.json");
        });
    }
}
