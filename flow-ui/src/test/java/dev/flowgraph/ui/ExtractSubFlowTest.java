package dev.flowgraph.ui;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestModels;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Extract to sub-flow on story-api's prompt and model: the flow answers the same, undo restores it exactly. */
class ExtractSubFlowTest extends EditorFixture {
    private static final List<String> QUESTIONS = List.of("Once upon a time,", "The cat sat", "Tom had a red ball.");

    @TempDir
    Path dir;

    @Test
    void extractingThePromptAndModelKeepsTheAnswersAndUndoRestoresTheFlow() throws Exception {
        // Greedy decoding on one thread (several threads may sum in another order and tip a close choice), no warm-up
        // requests before ours, and an absolute model path: the same answers wherever the flow file lives.
        FlowDocument original = FlowFiles.load(EXAMPLE)
                .withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "temperature", 0)
                .withSetting("llm", "threads", 1)
                .withSetting("llm", "maxTokens", 48)
                .withSetting("api", "warmupSeconds", 0);
        Path file = dir.resolve("story-api.flow.json");
        FlowFiles.save(original, file);
        robot.interact(() -> window.open(file));
        FlowDocument opened = flow();

        clickCard(robot, "prompt");
        clickCard(robot, "llm", KeyCode.SHIFT);
        assertThat(window.canvas().selection()).containsExactlyInAnyOrder("prompt", "llm");
        saveTarget = dir.resolve("story-core.flow.json");
        shortcut(robot, KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.E);

        FlowDocument parent = flow();
        assertThat(Files.exists(saveTarget)).isTrue();
        assertThat(parent.nodes()).extracting(n -> n.id()).containsExactly("initiator", "api", "subflow_story_core");
        assertThat(parent.wires()).containsExactlyInAnyOrder(Wire.of("initiator.signal", "api.keepAlive"),
                Wire.of("api.request", "subflow_story_core.chat"), Wire.of("subflow_story_core.text", "api.response"));
        assertThat(window.problems()).as("the new Sub-flow node's ports come from the new file").isEmpty();
        FlowDocument sub = FlowFiles.load(saveTarget);
        assertThat(sub.nodes()).extracting(n -> n.type()).containsExactly("flow.input", "prompt.chat", "llm.local", "flow.output");
        assertThat(sub.node("llm").orElseThrow().settings()).isEqualTo(original.node("llm").orElseThrow().settings());

        Path extracted = dir.resolve("story-api-extracted.flow.json");
        FlowFiles.save(parent, extracted);
        List<String> before = answers(file);
        assertThat(before).allMatch(a -> a.strip().length() > 20);
        assertThat(answers(extracted)).as("the extracted flow answers as the original did").isEqualTo(before);

        robot.interact(() -> window.document().undo());
        assertThat(flow()).as("one undo restores the flow exactly").isEqualTo(opened);
        robot.interact(() -> window.document().redo());
        assertThat(flow()).isEqualTo(parent);

        // Into the sub-flow and back by the breadcrumb.
        robot.interact(() -> window.files().save());
        dev.flowgraph.ui.canvas.NodeCard subflow = card("subflow_story_core");
        robot.doubleClickOn(subflow.localToScreen(subflow.getWidth() / 2, 14), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        waitUntil(() -> saveTarget.toAbsolutePath().equals(window.document().file()), 10, "the sub-flow opens");
        assertThat(robot.lookup("#breadcrumbs").query().isVisible()).isTrue();
        assertThat(window.subFlows().tabs().openFiles()).as("in a tab of its own")
                .containsExactly(file.toAbsolutePath(), saveTarget.toAbsolutePath());
        // An unsaved edit in the sub-flow's tab waits there while the parent is shown.
        robot.interact(() -> window.document().apply("edit", f -> f.withSetting("llm", "maxTokens", 12)));
        robot.clickOn("#breadcrumb-0");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.document().file()).isEqualTo(file.toAbsolutePath());
        assertThat(flow()).isEqualTo(parent);
        assertThat(window.document().isDirty()).isFalse();
        assertThat(robot.lookup("#breadcrumbs").query().isVisible()).isFalse();
        robot.clickOn(tabHeader("story-core"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.document().file()).isEqualTo(saveTarget.toAbsolutePath());
        assertThat(flow().node("llm").orElseThrow().settings().get("maxTokens")).isEqualTo(12);
        assertThat(window.document().isDirty()).isTrue();
        robot.interact(() -> window.document().undo());
        assertThat(flow()).as("its undo history came back with it").isEqualTo(FlowFiles.load(saveTarget));
        robot.interact(() -> window.document().redo());
        robot.clickOn(tabHeader("story-api"));
        // Closing the window asks about the sub-flow's unsaved edit, though another tab is shown.
        unsavedAnswer = dev.flowgraph.ui.files.FileDialogs.UnsavedChoice.CANCEL;
        int asked = unsavedQuestions.get();
        robot.interact(() -> assertThat(window.closeDown()).isFalse());
        assertThat(unsavedQuestions.get()).isEqualTo(asked + 1);
        assertThat(window.document().file()).as("the flow asked about is shown").isEqualTo(saveTarget.toAbsolutePath());
    }

    @Test
    void aSelectionWhoseEdgeCarriesDocumentsIsRefusedWithTheWireNamed() {
        robot.interact(() -> window.open(TestModels.projectRoot().resolve("examples/rag-api.flow.json")));
        FlowDocument before = flow();
        String retriever = before.nodes().stream().filter(n -> n.type().equals("rag.retrieve")).findFirst().orElseThrow().id();
        robot.interact(() -> window.canvas().select(Set.of(retriever)));
        saveTarget = dir.resolve("part.flow.json");
        robot.interact(() -> window.subFlows().extractSelection());
        assertThat(flow()).isEqualTo(before);
        assertThat(robot.lookup("#status-message").queryAs(javafx.scene.control.Label.class).getText())
                .startsWith("Cannot extract: The wire ").contains("carries documents");
    }

    /** The header of the flow tab whose title ends with {@code name} (a changed flow's title starts with ●). */
    private javafx.scene.Node tabHeader(String name) {
        return robot.lookup("#flow-tabs .tab-label").queryAllAs(javafx.scene.control.Label.class).stream()
                .filter(l -> l.getText().endsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no tab " + name));
    }

    private static List<String> answers(Path flowFile) throws Exception {
        FlowDocument flow = FlowFiles.load(flowFile);
        try (FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.inProcess(flowFile.getParent()).withEnvironment(ENV::get))) {
            List<String> out = new java.util.ArrayList<>();
            for (String q : QUESTIONS) {
                StringBuilder text = new StringBuilder();
                CompletableFuture<Packet> end = new CompletableFuture<>();
                runtime.entry().submit(ChatRequest.ofUser(q), p -> {
                    if (p instanceof Packet.Delta d) {
                        text.append(d.value());
                    } else {
                        end.complete(p);
                    }
                });
                assertThat(end.get(60, TimeUnit.SECONDS)).isInstanceOf(Packet.End.class);
                out.add(text.toString());
            }
            return out;
        }
    }
}
