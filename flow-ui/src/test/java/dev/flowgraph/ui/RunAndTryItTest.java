package dev.flowgraph.ui;

import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.ui.model.FlowEdits;
import dev.flowgraph.ui.run.FlowSession;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunAndTryItTest extends EditorFixture {

    @Test
    void theExampleRunsAndTryItStreamsAnAnswerThroughTheApiElement() {
        openExample(robot);
        // Port 0 (a free port) so the test never collides with a server on 5050; the test model from where it is.
        robot.interact(() -> window.document().apply("test setup", f -> FlowEdits.setSetting(
                FlowEdits.setSetting(f, "api", "port", 0), "llm", "modelPath", TestModels.stories().toString())));

        robot.clickOn("#toolbar-run");
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.RUNNING, 60, "the flow runs");
        assertThat(card("api").statusText()).contains("http://").contains("/prompt");
        assertThat(card("llm").statusText()).contains("idle");
        assertThat(robot.lookup("#status-run").queryAs(Label.class).getText()).startsWith("Running · serving http://");

        TextArea transcript = robot.lookup("#try-it-transcript").queryAs(TextArea.class);
        List<Integer> lengths = new ArrayList<>();
        robot.interact(() -> transcript.textProperty().addListener((o, a, b) -> lengths.add(b.length())));
        robot.clickOn("#try-it-input").write("Once upon a time,");
        robot.clickOn("#try-it-send");
        Label status = robot.lookup("#try-it-status").queryAs(Label.class);
        waitUntil(() -> status.getText().contains("tokens"), 60, "the answer ends");

        String text = transcript.getText();
        assertThat(text).startsWith("You: Once upon a time,\n\nFlow: ");
        String answer = text.substring(text.indexOf("Flow: ") + "Flow: ".length());
        assertThat(answer.strip()).isNotEmpty();
        assertThat(status.getText()).matches("[1-9]\\d* tokens in \\d+ ms · finish: (stop|length)");
        assertThat(lengths).as("the answer arrives in pieces, not at once").hasSizeGreaterThan(2);
        waitUntil(() -> card("llm").statusText().contains("idle"), 10, "the model node is idle again");

        robot.clickOn("#tab-log");
        TextArea log = robot.lookup("#log").queryAs(TextArea.class);
        waitUntil(() -> log.getText().contains("API element serving POST"), 5, "the flow's log in the log panel");
        assertThat(log.getText()).doesNotContain("TestKey42");

        robot.clickOn("#toolbar-stop");
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.STOPPED, 30, "the flow stops");
        assertThat(card("api").statusText()).isEmpty();
        assertThat(robot.lookup("#try-it-send").queryButton().isDisabled()).isTrue();
    }

    @Test
    void aFlowThatCannotStartSaysWhyAndRunsNothing() {
        openExample(robot);
        robot.interact(() -> window.document().apply("break", f -> FlowEdits.setSetting(
                FlowEdits.setSetting(f, "api", "port", 0), "llm", "modelPath", "models/no-such-model.gguf")));
        robot.clickOn("#toolbar-run");
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.FAILED, 30, "the start fails");
        assertThat(robot.lookup("#status-run").queryAs(Label.class).getText())
                .startsWith("Did not start:").contains("no-such-model.gguf");
        assertThat(window.session().isRunning()).isFalse();
    }
}
