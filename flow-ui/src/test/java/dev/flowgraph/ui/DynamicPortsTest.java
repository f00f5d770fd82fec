package dev.flowgraph.ui;

import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.ui.canvas.NodeCard;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Ports that follow settings: a Switch's cases and a Template's placeholders change the card live, undo brings wires back. */
class DynamicPortsTest extends EditorFixture {
    private static final Path ROUTER = TestModels.projectRoot().resolve("examples/router-api.flow.json");
    private static final Wire QUESTION = Wire.of("route.question", "question_llm.chat");
    private static final Wire ANSWER = Wire.of("question_llm.text", "question_prefix.answer");

    private boolean hasPort(String node, String port, boolean output) {
        return robot.lookup("#" + NodeCard.portId(node, port, output)).tryQuery().isPresent();
    }

    private void edit(String node, String setting, String text) {
        robot.interact(() -> window.canvas().select(Set.of(node)));
        WaitForAsyncUtils.waitForFxEvents();
        clickSetting("setting-" + setting);
        robot.push(KeyCode.CONTROL, KeyCode.A).write(text);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void renamingASwitchCaseRenamesItsOutputAndDropsItsWireInTheSameUndoStep() {
        robot.interact(() -> window.open(ROUTER));
        assertThat(hasPort("route", "question", true)).isTrue();
        assertThat(hasPort("route", "default", true)).isTrue();
        assertThat(flow().wires()).contains(QUESTION);

        edit("route", "cases", "ask: ends with ?");
        assertThat(hasPort("route", "ask", true)).as("the new case's output").isTrue();
        assertThat(hasPort("route", "question", true)).isFalse();
        assertThat(flow().wires()).doesNotContain(QUESTION);
        assertThat(window.canvas().wireCount()).isEqualTo(flow().wires().size());
        assertThat(window.problems()).extracting(Object::toString).containsExactlyInAnyOrder(
                "node 'question_llm': required input 'chat' is not wired",
                "warning: node 'route': output 'ask' is not wired: runs sent there never reach 'api', which ends them "
                        + "with \"no branch answered\" (wire it, to a Template with a fixed reply for one, or remove "
                        + "the case)");

        robot.clickOn(canvasPoint(0.95, 0.95));
        shortcut(robot, KeyCode.CONTROL, KeyCode.Z);
        assertThat(hasPort("route", "question", true)).isTrue();
        assertThat(hasPort("route", "ask", true)).isFalse();
        assertThat(flow().wires()).contains(QUESTION);
        assertThat(window.canvas().wireCount()).isEqualTo(flow().wires().size());
        assertThat(window.problems()).isEmpty();
    }

    @Test
    void aTemplatesPlaceholdersAreItsInputs() {
        robot.interact(() -> window.open(ROUTER));
        assertThat(hasPort("question_prefix", "answer", false)).isTrue();

        edit("question_prefix", "template", "[q] {{text}} ({{mood}})");
        assertThat(hasPort("question_prefix", "text", false)).isTrue();
        assertThat(hasPort("question_prefix", "mood", false)).isTrue();
        assertThat(hasPort("question_prefix", "answer", false)).isFalse();
        assertThat(flow().wires()).doesNotContain(ANSWER);
        assertThat(window.problems()).anySatisfy(p -> assertThat(p.toString())
                .contains("required input 'text' is not wired"));

        edit("question_prefix", "template", "[q] {{answer");
        assertThat(window.problems()).anySatisfy(p -> assertThat(p.toString()).contains("has an unclosed '{{'"));
        assertThat(window.canvas().card("question_prefix").orElseThrow().hasProblems()).isTrue();
    }

    @Test
    void aForEachShowsItsSubFlowAndDoubleClickOpensIt() {
        Path foreach = TestModels.projectRoot().resolve("examples/foreach.flow.json");
        robot.interact(() -> window.open(foreach));
        NodeCard each = window.canvas().card("each").orElseThrow();
        assertThat(robot.lookup(".node-id").queryAllAs(javafx.scene.text.Text.class))
                .anySatisfy(t -> assertThat(t.getText()).isEqualTo("each · story"));
        robot.doubleClickOn(each.localToScreen(each.getWidth() / 2, 14), javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.document().file()).isEqualTo(foreach.getParent().resolve("subflows/story.flow.json"));
        assertThat(flow().name()).isEqualTo("story");
    }
}
