package dev.flowgraph.ui;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.Group;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.ui.canvas.GroupFrame;
import dev.flowgraph.ui.canvas.NoteCard;
import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Notes and groups drawn, edited with the mouse and keys, and kept through save and reopen. */
class NotesAndGroupsTest extends EditorFixture {
    @TempDir
    Path dir;

    @Test
    void notesAndGroupsSurviveSaveAndReopen() throws Exception {
        Path file = dir.resolve("story-api.flow.json");
        FlowFiles.save(FlowFiles.load(EXAMPLE), file);
        robot.interact(() -> window.open(file));

        // A note, written in place in Markdown.
        shortcut(robot, KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.N);
        assertThat(flow().notes()).hasSize(1);
        String noteId = flow().notes().get(0).id();
        robot.write("# Story API\nServes the **test** model.");
        robot.clickOn(canvasPoint(0.05, 0.9));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(flow().notes().get(0).text()).isEqualTo("# Story API\nServes the **test** model.");
        NoteCard note = window.canvas().note(noteId).orElseThrow();
        assertThat(note.renderedText()).isEqualTo("Story API\nServes the test model.");

        // Dragging the note moves it (one undo step).
        Position before = flow().notes().get(0).position();
        Point2D grip = note.localToScreen(note.getWidth() - 12, note.getHeight() - 12);
        robot.drag(grip, MouseButton.PRIMARY).moveBy(60, 40).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertMovedBy(before, flow().notes().get(0).position(), 60, 40);

        // A group of the prompt and the model, renamed in place.
        clickCard(robot, "prompt");
        clickCard(robot, "llm", KeyCode.SHIFT);
        shortcut(robot, KeyCode.CONTROL, KeyCode.G);
        assertThat(flow().groups()).singleElement().satisfies(g -> assertThat(g.nodes()).containsExactly("prompt", "llm"));
        String groupId = flow().groups().get(0).id();
        GroupFrame frame = window.canvas().groupFrame(groupId).orElseThrow();
        robot.doubleClickOn(frame.localToScreen(120, 15), MouseButton.PRIMARY);
        robot.write("Generation").push(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(flow().groups().get(0).title()).isEqualTo("Generation");
        assertThat(frame.titleText()).isEqualTo("Generation");

        // The title bar moves the group's nodes together.
        Position prompt = flow().node("prompt").orElseThrow().position();
        Position llm = flow().node("llm").orElseThrow().position();
        robot.drag(frame.localToScreen(150, 15), MouseButton.PRIMARY).moveBy(100, 50).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertMovedBy(prompt, flow().node("prompt").orElseThrow().position(), 100, 50);
        assertMovedBy(llm, flow().node("llm").orElseThrow().position(), 100, 50);
        Position p2 = flow().node("prompt").orElseThrow().position();
        Position l2 = flow().node("llm").orElseThrow().position();
        assertThat(l2.x() - p2.x()).as("moved together").isEqualTo(llm.x() - prompt.x());

        // Collapsed, the group is one card; the wires crossing its edge meet it.
        robot.clickOn(robot.lookup("#group-toggle-" + groupId).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(flow().groups().get(0).collapsed()).isTrue();
        assertThat(card("prompt").isVisible()).isFalse();
        assertThat(card("llm").isVisible()).isFalse();
        assertThat(window.canvas().wiresThroughCards()).isEmpty();

        robot.interact(() -> window.files().save());
        FlowDocument saved = flow();
        robot.interact(() -> window.files().newFlow());
        assertThat(flow().notes()).isEmpty();
        robot.interact(() -> window.open(file));
        assertThat(flow().notes()).isEqualTo(saved.notes());
        assertThat(flow().groups()).isEqualTo(saved.groups());
        assertThat(flow().groups()).containsExactly(new Group(groupId, "Generation", Group.DEFAULT_COLOR,
                java.util.List.of("prompt", "llm"), true));
        assertThat(card("llm").isVisible()).as("collapsed after reopening").isFalse();
        assertThat(window.canvas().note(noteId).orElseThrow().renderedText()).isEqualTo("Story API\nServes the test model.");

        // Expanded again; deleting a grouped node leaves the rest of the group.
        robot.clickOn(robot.lookup("#group-toggle-" + groupId).queryAs(javafx.scene.Node.class));
        assertThat(card("llm").isVisible()).isTrue();
        clickCard(robot, "prompt");
        robot.interact(() -> window.deleteSelection());
        assertThat(flow().groups().get(0).nodes()).containsExactly("llm");

        // A selected note is deleted with Delete.
        robot.interact(() -> window.canvas().selectNote(noteId));
        robot.interact(() -> window.deleteSelection());
        assertThat(flow().notes()).isEmpty();
    }

    /** A drag of so many screen pixels moves by that much over the zoom, snapped to 10 px. */
    private void assertMovedBy(Position from, Position to, double screenDx, double screenDy) {
        double zoom = window.canvas().zoom();
        assertThat(to.x() - from.x()).isCloseTo(screenDx / zoom, org.assertj.core.data.Offset.offset(10.0));
        assertThat(to.y() - from.y()).isCloseTo(screenDy / zoom, org.assertj.core.data.Offset.offset(10.0));
    }
}
