package dev.flowgraph.ui;

import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.validate.Problem;
import dev.flowgraph.core.validate.ProblemKind;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EditingTest extends EditorFixture {
    private static final Wire KEEP_ALIVE = Wire.of("initiator.signal", "api.keepAlive");

    @Test
    void anIncompatibleWireIsRefusedWithAVisibleReason() {
        openExample(robot);
        // The model's text output into the prompt's chat input: text is not a chat request.
        dragPort(robot, "llm", "text", "prompt", "chat");
        assertThat(flow().wires()).hasSize(4).doesNotContain(Wire.of("llm.text", "prompt.chat"));
        Label refusal = robot.lookup("#wire-refusal").queryAs(Label.class);
        assertThat(refusal.isVisible()).isTrue();
        assertThat(refusal.getText()).contains("'chat' takes chat").contains("gives text");
        assertThat(robot.lookup("#status-message").queryAs(Label.class).getText()).contains("takes chat");
        assertThat(window.document().canUndoProperty().get()).isFalse();
    }

    @Test
    void unwiringTheInitiatorShowsTheProblemOnTheApiElementAndUndoRedoFollow() {
        openExample(robot);
        assertThat(card("api").hasProblems()).isFalse();

        // Pick the keep-alive wire up by its end and drop it on empty canvas.
        robot.drag(port(robot, "api", "keepAlive", false), javafx.scene.input.MouseButton.PRIMARY)
                .moveTo(canvasPoint(0.5, 0.95)).release(javafx.scene.input.MouseButton.PRIMARY);
        assertThat(flow().wires()).doesNotContain(KEEP_ALIVE);
        assertThat(window.problems()).extracting(Problem::kind, Problem::nodeId)
                .contains(org.assertj.core.groups.Tuple.tuple(ProblemKind.REQUIRED_INPUT_UNWIRED, "api"));
        assertThat(card("api").hasProblems()).isTrue();
        assertThat(card("api").problemText()).contains("keepAlive");

        robot.clickOn(canvasPoint(0.9, 0.9));
        shortcut(robot, KeyCode.CONTROL, KeyCode.Z);
        assertThat(flow().wires()).contains(KEEP_ALIVE);
        assertThat(window.problems()).isEmpty();
        assertThat(card("api").hasProblems()).isFalse();

        shortcut(robot, KeyCode.CONTROL, KeyCode.Y);
        assertThat(flow().wires()).doesNotContain(KEEP_ALIVE);
        assertThat(card("api").hasProblems()).isTrue();
    }

    @Test
    void clickingAProblemSelectsItsNode() {
        openExample(robot);
        robot.drag(port(robot, "api", "keepAlive", false), javafx.scene.input.MouseButton.PRIMARY)
                .moveTo(canvasPoint(0.5, 0.95)).release(javafx.scene.input.MouseButton.PRIMARY);
        robot.clickOn("#tab-problems");
        robot.clickOn(".problem-row");
        assertThat(window.canvas().selection()).containsExactly("api");
    }

    @Test
    void copyAndPasteOfTwoWiredNodesPastesBothAndTheirWire() {
        openExample(robot);
        clickCard(robot, "prompt");
        clickCard(robot, "llm", KeyCode.SHIFT);
        assertThat(window.canvas().selection()).containsExactlyInAnyOrder("prompt", "llm");

        shortcut(robot, KeyCode.CONTROL, KeyCode.C);
        shortcut(robot, KeyCode.CONTROL, KeyCode.V);
        assertThat(flow().nodes()).hasSize(6);
        assertThat(flow().wires()).hasSize(5).contains(Wire.of("prompt2.chat", "llm2.chat"));
        assertThat(window.canvas().selection()).containsExactlyInAnyOrder("prompt2", "llm2");
        assertThat(flow().node("llm2").orElseThrow().settings()).isEqualTo(flow().node("llm").orElseThrow().settings());
        assertThat(flow().node("llm2").orElseThrow().position().x())
                .isEqualTo(flow().node("llm").orElseThrow().position().x() + 40);

        shortcut(robot, KeyCode.CONTROL, KeyCode.Z);
        assertThat(flow().nodes()).hasSize(4);
    }

    @Test
    void selectAllThenDeleteRemovesEverythingAndUndoBringsItBack() {
        openExample(robot);
        robot.clickOn(canvasPoint(0.9, 0.9));
        shortcut(robot, KeyCode.CONTROL, KeyCode.A);
        assertThat(window.canvas().selection()).hasSize(4);
        shortcut(robot, KeyCode.DELETE);
        assertThat(flow().nodes()).isEmpty();
        assertThat(flow().wires()).isEmpty();
        shortcut(robot, KeyCode.CONTROL, KeyCode.Z);
        assertThat(flow().nodes()).hasSize(4);
        assertThat(flow().wires()).hasSize(4);
    }

    @Test
    void aRubberBandSelectsTheNodesItTouchesAndDraggingMovesThemAsOneUndoStep() {
        openExample(robot);
        var prompt = card("prompt").localToScreen(card("prompt").getLayoutBounds());
        var llm = card("llm").localToScreen(card("llm").getLayoutBounds());
        // From empty canvas below the model node up to the middle of the prompt node's left edge.
        robot.drag(new javafx.geometry.Point2D(llm.getMaxX() + 10, llm.getMaxY() + 20),
                        javafx.scene.input.MouseButton.PRIMARY)
                .moveTo(new javafx.geometry.Point2D(prompt.getMinX() + 30, prompt.getMaxY() - 10))
                .release(javafx.scene.input.MouseButton.PRIMARY);
        assertThat(window.canvas().selection()).containsExactlyInAnyOrder("prompt", "llm");

        double promptX = flow().node("prompt").orElseThrow().position().x();
        double llmX = flow().node("llm").orElseThrow().position().x();
        var title = card("prompt").localToScreen(card("prompt").getWidth() / 2, 14);
        robot.drag(title, javafx.scene.input.MouseButton.PRIMARY)
                .moveBy(60 * window.canvas().zoom(), 0).release(javafx.scene.input.MouseButton.PRIMARY);
        assertThat(flow().node("prompt").orElseThrow().position().x()).isEqualTo(promptX + 60);
        assertThat(flow().node("llm").orElseThrow().position().x()).isEqualTo(llmX + 60);

        robot.clickOn(canvasPoint(0.9, 0.9));
        shortcut(robot, KeyCode.CONTROL, KeyCode.Z);
        assertThat(flow().node("prompt").orElseThrow().position().x()).isEqualTo(promptX);
        assertThat(flow().node("llm").orElseThrow().position().x()).isEqualTo(llmX);
    }

    @Test
    void anInvalidSettingIsMarkedAtOnceAndASettingEditUndoesAsOneStep() {
        openExample(robot);
        clickCard(robot, "llm");
        clickSetting("setting-maxTokens");
        robot.push(KeyCode.CONTROL, KeyCode.A).write("12x");
        Label error = robot.lookup("#error-maxTokens").queryAs(Label.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).contains("whole number");

        robot.push(KeyCode.BACK_SPACE);
        assertThat(error.isVisible()).isFalse();
        assertThat(flow().node("llm").orElseThrow().settings().get("maxTokens")).isEqualTo(12);

        clickSetting("setting-temperature");
        robot.push(KeyCode.CONTROL, KeyCode.A).write("9");
        assertThat(error.isVisible()).isFalse();
        assertThat(robot.lookup("#error-temperature").queryAs(Label.class).getText()).contains("between");
        assertThat(window.problems()).extracting(Problem::kind).contains(ProblemKind.INVALID_SETTING);

        robot.clickOn(canvasPoint(0.9, 0.9));
        shortcut(robot, KeyCode.CONTROL, KeyCode.Z);
        assertThat(flow().node("llm").orElseThrow().settings().get("temperature")).isEqualTo(0.8);
        shortcut(robot, KeyCode.CONTROL, KeyCode.Z);
        assertThat(flow().node("llm").orElseThrow().settings().get("maxTokens")).isEqualTo(256);
    }

    @Test
    void closingWithUnsavedChangesAsksAndCancelKeepsTheWork() {
        openExample(robot);
        assertThat(window.stage().getTitle()).isEqualTo("story-api.flow.json — Flowgraph Editor");
        clickCard(robot, "initiator");
        shortcut(robot, KeyCode.DELETE);
        assertThat(window.stage().getTitle()).startsWith("● story-api.flow.json");

        unsavedAnswer = dev.flowgraph.ui.files.FileDialogs.UnsavedChoice.CANCEL;
        robot.interact(() -> assertThat(window.closeDown()).isFalse());
        assertThat(unsavedQuestions.get()).isEqualTo(1);
        assertThat(flow().nodes()).hasSize(3);
        assertThat(window.document().isDirty()).isTrue();
    }

    @Test
    void addingByDoubleClickAndSearchingThePalette() {
        robot.clickOn("#palette-search").write("llm");
        assertThat(robot.lookup("#" + dev.flowgraph.ui.palette.Palette.cellId("initiator")).tryQuery()).isEmpty();
        robot.doubleClickOn("#" + dev.flowgraph.ui.palette.Palette.cellId("llm.local"));
        assertThat(flow().nodes()).singleElement().satisfies(n -> assertThat(n.type()).isEqualTo("llm.local"));
        assertThat(window.canvas().selection()).isEqualTo(Set.of("llm"));
        assertThat(robot.lookup("#error-modelPath").queryAs(Label.class).getText()).isEqualTo("is required");
    }

    @Test
    void theDarkThemeSwitchesWithItsShortcutAndIsRemembered() {
        assertThat(window.isDark()).isFalse();
        robot.clickOn(canvasPoint(0.9, 0.9));
        shortcut(robot, KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T);
        assertThat(window.isDark()).isTrue();
        assertThat(window.stage().getScene().getStylesheets()).anyMatch(css -> css.endsWith("theme-dark.css"))
                .noneMatch(css -> css.endsWith("theme-light.css"));
        assertThat(window.canvas().darkGridProperty().get()).isTrue();

        // The next editor window (the next start) opens dark.
        robot.interact(() -> {
            javafx.stage.Stage next = new javafx.stage.Stage();
            EditorWindow reopened = new EditorWindow(next, new EditorOptions(
                    dev.flowgraph.core.node.NodeRegistry.discover(), ENV::get, dialogs, preferences));
            try {
                assertThat(reopened.isDark()).isTrue();
                assertThat(next.getScene().getStylesheets()).anyMatch(css -> css.endsWith("theme-dark.css"));
            } finally {
                reopened.closeDown();
            }
        });
    }

    @Test
    void everyCommonActionHasAShortcutAndOpenedFilesAreRecent() {
        assertThat(window.shortcuts()).filteredOn(s -> s.keys() != null).extracting(Shortcut::name)
                .contains("New", "Open…", "Save", "Save As…", "Undo", "Redo", "Copy", "Paste", "Duplicate",
                        "Delete", "Select All", "Zoom In", "Zoom Out", "Fit to View", "Run Flow", "Stop Flow");
        openExample(robot);
        assertThat(window.files().recent().list()).first().isEqualTo(EXAMPLE.toAbsolutePath().normalize());
    }

    @Test
    void everyExampleFlowOpensWithAllItsNodesAndWires() throws Exception {
        List<Path> examples;
        try (var files = Files.walk(EXAMPLE.getParent())) {
            examples = files.filter(f -> f.toString().endsWith(".flow.json") && !f.toString().contains("target"))
                    .sorted().toList();
        }
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            robot.interact(() -> assertThat(window.open(example)).as(example.toString()).isTrue());
            var expected = dev.flowgraph.core.flow.FlowFiles.load(example);
            assertThat(flow()).isEqualTo(expected);
            assertThat(window.canvas().wireCount()).isEqualTo(expected.wires().size());
            expected.nodes().forEach(n -> assertThat(window.canvas().card(n.id())).isPresent());
            assertThat(window.problems()).as(example.toString()).isEmpty();
        }
    }

    @Test
    void zoomKeysFitAndPanMoveTheViewNotTheFlow() {
        openExample(robot);
        var before = flow();
        robot.clickOn(canvasPoint(0.9, 0.9));
        shortcut(robot, KeyCode.CONTROL, KeyCode.DIGIT0);
        assertThat(window.canvas().zoom()).isEqualTo(1.0);
        shortcut(robot, KeyCode.CONTROL, KeyCode.EQUALS);
        assertThat(window.canvas().zoom()).isCloseTo(1.25, org.assertj.core.data.Offset.offset(1e-9));
        shortcut(robot, KeyCode.CONTROL, KeyCode.MINUS);
        shortcut(robot, KeyCode.CONTROL, KeyCode.MINUS);
        assertThat(window.canvas().zoom()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));

        double x = card("api").localToScreen(0, 0).getX();
        robot.drag(canvasPoint(0.5, 0.9), javafx.scene.input.MouseButton.SECONDARY).moveBy(-100, 0)
                .release(javafx.scene.input.MouseButton.SECONDARY);
        assertThat(card("api").localToScreen(0, 0).getX()).isCloseTo(x - 100, org.assertj.core.data.Offset.offset(2.0));

        shortcut(robot, KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F);
        var canvasBox = window.canvas().localToScreen(window.canvas().getLayoutBounds());
        for (var node : flow().nodes()) {
            assertThat(canvasBox.contains(card(node.id()).localToScreen(card(node.id()).getLayoutBounds())))
                    .as(node.id() + " in view after fit").isTrue();
        }
        assertThat(flow()).isEqualTo(before);
    }
}
