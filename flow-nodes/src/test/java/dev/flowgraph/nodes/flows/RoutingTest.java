package dev.flowgraph.nodes.flows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.nodes.llm.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Switch, Merge, Gather and not-taken marks, run in-process on the real model. */
class RoutingTest {
    @TempDir
    Path dir;

    private Path router() throws Exception {
        return TestGraphs.flow("router")
                .node("in", "flow.input", "name", "message", "dataType", "chat")
                .node("route", "route.switch", "cases", List.of("question: ends with ?"))
                .node("question_llm", "llm.local", "modelPath", TestGraphs.model(), "maxTokens", 24)
                .node("question_prefix", "text.template", "template", "[question] {{answer}}")
                .node("story_llm", "llm.local", "modelPath", TestGraphs.model(), "maxTokens", 24)
                .node("story_prefix", "text.template", "template", "[story] {{answer}}")
                .node("merge", "route.merge")
                .node("out", "flow.output", "name", "answer")
                .wire("in.value -> route.in")
                .wire("route.question -> question_llm.chat").wire("question_llm.text -> question_prefix.answer")
                .wire("route.default -> story_llm.chat").wire("story_llm.text -> story_prefix.answer")
                .wire("question_prefix.out -> merge.in").wire("story_prefix.out -> merge.in")
                .wire("merge.out -> out.value")
                .save(dir, "router.flow.json");
    }

    @Test
    void eachRunTakesOneBranchAndTheOtherModelNeverStarts() throws Exception {
        int loadsBefore = SharedModels.loads();
        try (FlowCall flow = FlowCall.start(router())) {
            assertThat(SharedModels.loads() - loadsBefore).as("both branches share one loaded model").isEqualTo(1);

            FlowCall.Result question = flow.call(Map.of("message", "Why is the sky blue?"));
            assertThat((String) question.value("answer")).startsWith("[question] ").hasSizeGreaterThan(15);
            assertThat(question.run().trace().node("question_llm")).isPresent();
            assertThat(question.run().trace().node("story_llm")).as("the untaken branch's model never starts").isEmpty();
            assertThat(question.run().trace().node("route").orElseThrow().notes()).containsEntry("branch", "question");

            FlowCall.Result story = flow.call(Map.of("message", "Once upon a time,"));
            assertThat((String) story.value("answer")).startsWith("[story] ");
            assertThat(story.run().trace().node("question_llm")).isEmpty();
            assertThat(story.run().trace().node("route").orElseThrow().notes()).containsEntry("branch", "default");
        }
    }

    @Test
    void aJoinWhoseEveryBranchWasNotTakenEndsTheRunWithAnErrorNamingIt() throws Exception {
        Path file = TestGraphs.flow("nowhere")
                .node("in", "flow.input")
                .node("route", "route.switch", "cases", List.of("a: equals a", "b: equals b"))
                .node("merge", "route.merge")
                .node("after", "text.template", "template", "got {{x}}")
                .node("out", "flow.output")
                .wire("in.value -> route.in").wire("route.a -> merge.in").wire("route.b -> merge.in")
                .wire("merge.out -> after.x").wire("after.out -> out.value")
                .save(dir, "nowhere.flow.json");
        try (FlowCall flow = FlowCall.start(file)) {
            long start = System.nanoTime();
            FlowCall.Result result = flow.call(Map.of("input", "c"));
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
            Packet.NotTaken mark = (Packet.NotTaken) result.end("output");
            assertThat(mark.joinedAt()).isEqualTo("merge");
            assertThat(mark.explain()).isEqualTo("no branch answered: every branch into 'merge' was not taken in this run");
            assertThat(result.run().trace().node("after")).as("nothing after the join ran").isEmpty();

            assertThat(flow.call(Map.of("input", "b")).value("output")).isEqualTo("got b");
        }
    }

    @Test
    void aSwitchMatchingEveryCaseSendsTheRunDownEachAndGatherJoinsThem() throws Exception {
        Path file = TestGraphs.flow("every")
                .node("in", "flow.input")
                .node("route", "route.switch", "cases", List.of("cat: contains cat", "dog: contains dog"),
                        "matches", "every")
                .node("cat", "text.template", "template", "meow ({{x}})")
                .node("dog", "text.template", "template", "woof ({{x}})")
                .node("none", "text.template", "template", "quiet ({{x}})")
                .node("gather", "route.gather", "inputs", List.of("cat", "dog", "none"), "mode", "text",
                        "separator", " + ")
                .node("out", "flow.output")
                .wire("in.value -> route.in")
                .wire("route.cat -> cat.x").wire("route.dog -> dog.x").wire("route.default -> none.x")
                .wire("cat.out -> gather.cat").wire("dog.out -> gather.dog").wire("none.out -> gather.none")
                .wire("gather.out -> out.value")
                .save(dir, "every.flow.json");
        try (FlowCall flow = FlowCall.start(file)) {
            assertThat(flow.call(Map.of("input", "a dog and a cat")).value("output"))
                    .isEqualTo("meow (a dog and a cat) + woof (a dog and a cat)");
            assertThat(flow.call(Map.of("input", "a dog")).value("output")).isEqualTo("woof (a dog)");
            FlowCall.Result none = flow.call(Map.of("input", "a bird"));
            assertThat(none.value("output")).isEqualTo("quiet (a bird)");
            assertThat(none.run().trace().node("route").orElseThrow().notes()).containsEntry("branch", "default");
        }
    }

    @Test
    void parallelBranchesRunTogetherAndGatherKeepsTheDeclaredOrder() throws Exception {
        Path file = TestGraphs.flow("parallel")
                .node("in", "flow.input", "name", "topic")
                .node("prompt", "text.template", "template", "Once upon a time, {{topic}}", "output", "user")
                .node("long_llm", "llm.local", "modelPath", TestGraphs.model(), "parallel", 2, "threads", 1,
                        "maxTokens", 1500, "ignoreEos", true, "temperature", 0)
                .node("short_llm", "llm.local", "modelPath", TestGraphs.model(), "parallel", 2, "threads", 1,
                        "maxTokens", 300, "ignoreEos", true, "temperature", 0)
                .node("gather", "route.gather", "inputs", List.of("long", "short"))
                .node("out", "flow.output", "dataType", "json")
                .wire("in.value -> prompt.topic")
                .wire("prompt.out -> long_llm.chat").wire("prompt.out -> short_llm.chat")
                .wire("long_llm.text -> gather.long").wire("short_llm.text -> gather.short")
                .wire("gather.out -> out.value")
                .save(dir, "parallel.flow.json");
        try (FlowCall flow = FlowCall.start(file)) {
            FlowCall.Result result = flow.call(Map.of("topic", "a cat"));
            NodeTrace slow = result.run().trace().node("long_llm").orElseThrow();
            NodeTrace fast = result.run().trace().node("short_llm").orElseThrow();
            assertThat(fast.endNanos()).as("the short branch ends first").isLessThan(slow.endNanos());
            assertThat(fast.startNanos()).as("both branches run at the same time").isLessThan(slow.endNanos());
            assertThat(slow.startNanos()).isLessThan(fast.endNanos());

            JsonNode gathered = (JsonNode) result.value("output");
            assertThat(gathered.fieldNames()).toIterable().containsExactly("long", "short");
            assertThat(gathered.get("long").asText().length()).isGreaterThan(gathered.get("short").asText().length());
        }
    }
}
