package dev.flowgraph.ui;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.ui.model.FlowEdits;
import dev.flowgraph.ui.run.FlowSession;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's key table, key by key, and the canvas gestures it promises: grid snap, rewiring, masked secrets. */
class KeysAndGesturesTest extends EditorFixture {

    private void focusCanvas() {
        robot.clickOn(canvasPoint(0.9, 0.9));
    }

    @Test
    void ctrlNStartsANewFlowAndCtrlOOpensOne() {
        openExample(robot);
        focusCanvas();
        shortcut(robot, KeyCode.CONTROL, KeyCode.N);
        assertThat(flow().nodes()).isEmpty();
        assertThat(window.stage().getTitle()).contains("Untitled flow");

        openTarget = EXAMPLE;
        shortcut(robot, KeyCode.CONTROL, KeyCode.O);
        assertThat(flow()).isEqualTo(load(EXAMPLE));
        assertThat(window.stage().getTitle()).isEqualTo("story-api.flow.json — Flowgraph Editor");
    }

    @Test
    void ctrlSSavesAndCtrlShiftSSavesUnderANewNameLeavingTheOldFileAsItWas(@TempDir Path dir) throws Exception {
        Path original = dir.resolve("first.flow.json");
        Files.copy(EXAMPLE, original);
        robot.interact(() -> window.open(original));
        clickCard(robot, "initiator");
        shortcut(robot, KeyCode.DELETE);
        shortcut(robot, KeyCode.CONTROL, KeyCode.S);
        assertThat(load(original).nodes()).hasSize(3);
        assertThat(window.stage().getTitle()).isEqualTo("first.flow.json — Flowgraph Editor");

        clickCard(robot, "api");
        shortcut(robot, KeyCode.DELETE);
        saveTarget = dir.resolve("second.flow.json");
        shortcut(robot, KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.S);
        assertThat(load(saveTarget)).isEqualTo(flow());
        assertThat(load(saveTarget).nodes()).hasSize(2);
        assertThat(load(original).nodes()).as("the first file keeps its last save").hasSize(3);
        assertThat(window.stage().getTitle()).isEqualTo("second.flow.json — Flowgraph Editor");
    }

    @Test
    void ctrlDDuplicatesTheSelectionWithItsSettings() {
        openExample(robot);
        clickCard(robot, "llm");
        shortcut(robot, KeyCode.CONTROL, KeyCode.D);
        assertThat(flow().nodes()).hasSize(5);
        assertThat(window.canvas().selection()).containsExactly("llm2");
        assertThat(flow().node("llm2").orElseThrow().settings()).isEqualTo(flow().node("llm").orElseThrow().settings());
        assertThat(flow().node("llm2").orElseThrow().type()).isEqualTo("llm.local");
    }

    @Test
    void f5RunsTheFlowAndShiftF5StopsIt() {
        openExample(robot);
        robot.interact(() -> window.document().apply("test setup", f -> FlowEdits.setSetting(
                FlowEdits.setSetting(f, "api", "port", 0), "llm", "modelPath", TestModels.stories().toString())));
        focusCanvas();
        shortcut(robot, KeyCode.F5);
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.RUNNING, 60, "F5 runs the flow");
        assertThat(card("api").statusText()).contains("http://");
        focusCanvas();
        shortcut(robot, KeyCode.SHIFT, KeyCode.F5);
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.STOPPED, 30, "Shift+F5 stops it");
        assertThat(card("api").statusText()).isEmpty();
    }

    @Test
    void f1ListsEveryKeyOfTheReadmesTable() throws Exception {
        focusCanvas();
        shortcut(robot, KeyCode.F1);
        DialogPane dialog = openDialog("Keyboard shortcuts");
        List<String> shown = new ArrayList<>();
        collectTexts(dialog.getContent(), shown);
        // Every key the README's table names (Ctrl+N, Shift+F5, ...) is in the list F1 shows.
        String readme = Files.readString(TestModels.projectRoot().resolve("README.md"));
        String table = readme.substring(readme.indexOf("| keys | action |"), readme.indexOf("F1 lists them"));
        Matcher keys = Pattern.compile("(?<=[ /])(?:Ctrl\\+|Shift\\+)*(?:[A-Z0-9=\\-]|F\\d+|Delete)(?=[ |])").matcher(table);
        List<String> documented = new ArrayList<>();
        while (keys.find()) {
            documented.add(keys.group());
        }
        assertThat(documented).hasSizeGreaterThan(15).contains("Ctrl+Shift+T", "Shift+F5", "Ctrl+D");
        for (String key : documented) {
            assertThat(shown).as("F1 lists %s", key).contains(key);
        }
        robot.interact(() -> dialog.getScene().getWindow().hide());
    }

    @Test
    void ctrlShiftFFitsTheWholeFlowIntoView() {
        openExample(robot);
        focusCanvas();
        for (int i = 0; i < 4; i++) {
            shortcut(robot, KeyCode.CONTROL, KeyCode.EQUALS); // zoomed in far: most cards are out of view
        }
        shortcut(robot, KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F);
        var canvasBox = window.canvas().localToScreen(window.canvas().getLayoutBounds());
        for (var node : flow().nodes()) {
            assertThat(canvasBox.contains(card(node.id()).localToScreen(card(node.id()).getLayoutBounds())))
                    .as(node.id() + " in view after fit").isTrue();
        }
    }

    @Test
    void aDraggedNodeSnapsToTheGrid() {
        openExample(robot);
        robot.interact(() -> window.canvas().resetZoom());
        var before = flow().node("prompt").orElseThrow().position();
        var title = card("prompt").localToScreen(card("prompt").getWidth() / 2, 14);
        robot.drag(title, MouseButton.PRIMARY).moveBy(37, 23).release(MouseButton.PRIMARY);
        var after = flow().node("prompt").orElseThrow().position();
        assertThat(after.x() % 10).isZero();
        assertThat(after.y() % 10).isZero();
        assertThat(after.x()).isEqualTo(Math.round((before.x() + 37) / 10) * 10.0);
        assertThat(after.y()).isEqualTo(Math.round((before.y() + 23) / 10) * 10.0);
    }

    @Test
    void draggingAWiresEndToAnotherInputRewiresItAsOneUndoStep() {
        openExample(robot);
        clickCard(robot, "llm");
        shortcut(robot, KeyCode.CONTROL, KeyCode.D); // a second model to move the prompt's wire to
        Wire old = Wire.of("prompt.chat", "llm.chat");
        Wire moved = Wire.of("prompt.chat", "llm2.chat");
        robot.drag(port(robot, "llm", "chat", false), MouseButton.PRIMARY)
                .moveTo(port(robot, "llm2", "chat", false)).release(MouseButton.PRIMARY);
        assertThat(flow().wires()).contains(moved).doesNotContain(old).hasSize(4);

        focusCanvas();
        shortcut(robot, KeyCode.CONTROL, KeyCode.Z);
        assertThat(flow().wires()).contains(old).doesNotContain(moved).hasSize(4);
    }

    @Test
    void aSecretIsMaskedUntilShownAndAnEnvReferenceIsShownInClear() {
        openExample(robot);
        clickCard(robot, "api");
        // The example's ${env:FLOW_API_KEY} is no secret: shown as written.
        TextField plain = robot.lookup("#setting-apiKey").queryAs(TextField.class);
        PasswordField masked = robot.lookup("#setting-apiKey-masked").queryAs(PasswordField.class);
        assertThat(plain.isVisible()).isTrue();
        assertThat(plain.getText()).isEqualTo("${env:FLOW_API_KEY}");

        robot.interact(() -> window.document().apply("a literal key",
                f -> FlowEdits.setSetting(f, "api", "apiKey", "Secret123")));
        focusCanvas();
        clickCard(robot, "api");
        masked = robot.lookup("#setting-apiKey-masked").queryAs(PasswordField.class);
        plain = robot.lookup("#setting-apiKey").queryAs(TextField.class);
        assertThat(masked.isVisible()).isTrue();
        assertThat(plain.isVisible()).isFalse();
        List<String> visibleTexts = new ArrayList<>();
        collectVisibleTexts(window.stage().getScene().getRoot(), visibleTexts);
        assertThat(visibleTexts).noneMatch(t -> t.contains("Secret123"));

        robot.clickOn("#setting-apiKey-show");
        assertThat(plain.isVisible()).isTrue();
        assertThat(plain.getText()).isEqualTo("Secret123");
    }

    private static FlowDocument load(Path file) {
        try {
            return FlowFiles.load(file);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private DialogPane openDialog(String header) {
        waitUntil(() -> Window.getWindows().stream().anyMatch(w -> w instanceof Stage s && s.getScene() != null
                && s.getScene().getRoot() instanceof DialogPane pane && header.equals(pane.getHeaderText())), 10,
                "the '" + header + "' dialog");
        return Window.getWindows().stream().map(w -> w.getScene().getRoot()).filter(r -> r instanceof DialogPane)
                .map(r -> (DialogPane) r).filter(p -> header.equals(p.getHeaderText())).findFirst().orElseThrow();
    }

    private static void collectTexts(Node node, List<String> into) {
        if (node instanceof Label label) {
            into.add(label.getText());
        }
        if (node instanceof Parent parent) {
            parent.getChildrenUnmodifiable().forEach(child -> collectTexts(child, into));
        }
    }

    /** What is drawn as text and visible: labels, field contents (a password field draws bullets, not its text). */
    private static void collectVisibleTexts(Node node, List<String> into) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Text text) {
            into.add(text.getText());
        }
        if (node instanceof Parent parent) {
            parent.getChildrenUnmodifiable().forEach(child -> collectVisibleTexts(child, into));
        }
    }
}
