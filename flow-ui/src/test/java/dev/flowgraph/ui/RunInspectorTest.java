package dev.flowgraph.ui;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.ui.inspect.InspectedRun;
import dev.flowgraph.ui.model.FlowEdits;
import dev.flowgraph.ui.run.FlowSession;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code router-api} in the editor and reads, as a user would, what each run did. */
class RunInspectorTest extends EditorFixture {
    static final Path ROUTER = TestModels.projectRoot().resolve("examples/router-api.flow.json");

    @Test
    void eachRunShowsItsBranchItsTimesAndWhatEachNodeReceivedAndEmitted() {
        robot.interact(() -> window.open(ROUTER));
        String model = TestModels.stories().toString();
        robot.interact(() -> window.document().apply("test setup", f -> {
            FlowDocument g = FlowEdits.setSetting(f, "api", "port", 0);
            g = FlowEdits.setSetting(g, "question_llm", "modelPath", model);
            return FlowEdits.setSetting(g, "story_llm", "modelPath", model);
        }));
        robot.clickOn("#toolbar-run");
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.RUNNING, 60, "the flow runs");
        assertThat(window.canvas().shownRun()).as("no run on show before the first").isEmpty();

        // A question takes the Switch's "question" branch.
        InspectedRun question = send("Why is the sky blue?", null);
        assertThat(card("question_llm").runBadgeText()).matches("\\d+(\\.\\d)? ms · [1-9]\\d* tok");
        assertThat(card("question_llm").isDimmed()).isFalse();
        assertThat(card("story_llm").isDimmed()).as("the branch not taken is dimmed").isTrue();
        assertThat(card("story_llm").runBadgeText()).isEmpty();
        assertThat(card("merge").isDimmed()).isFalse();
        assertThat(card("initiator").isDimmed()).as("the Initiator works for the flow, not for a run").isFalse();
        Wire taken = Wire.of("route.question", "question_llm.chat");
        Wire untaken = Wire.of("route.default", "story_llm.chat");
        assertThat(window.canvas().wireShownCarried(taken)).isTrue();
        assertThat(window.canvas().wireShownCarried(untaken)).isFalse();
        assertThat(window.canvas().wireHoverText(taken)).hasValue("route.question -> question_llm.chat · chat · 2 packets");
        assertThat(window.canvas().wireHoverText(untaken).orElseThrow()).endsWith("· 1 packet");

        robot.clickOn("#tab-inspector");
        clickCard(robot, "route");
        assertThat(header()).startsWith("route · ").contains(question.id());
        assertThat(text("inspector-text-in-in")).isEqualTo("user: Why is the sky blue?");
        assertThat(text("inspector-text-out-question")).contains("Why is the sky blue?");
        assertThat(robot.lookup("#inspector-out-default").queryAs(TitledPane.class).getText()).isEqualTo("default");
        assertThat(robot.lookup("#inspector-in-in").queryAs(TitledPane.class).getText()).isEqualTo("in ← api.request");
        assertThat(robot.lookup("#inspector-out-default .inspector-hint").queryAs(Label.class).getText())
                .startsWith("not taken (route sent the run another way)");

        clickCard(robot, "question_llm");
        String streamed = text("inspector-text-out-text");
        assertThat(streamed).isNotBlank();
        TextArea transcript = robot.lookup("#try-it-transcript").queryAs(TextArea.class);
        waitUntil(() -> transcript.getText().endsWith("Flow: [question] " + streamed), 10,
                "what the model emitted, prefixed, is the answer the client got");
        assertThat(robot.lookup("#inspector-settings").queryAs(TitledPane.class).getText()).isEqualTo("Settings as run");
        // The README's picture: the flow after a run, the model's part in the inspector (scripts/editor-screenshot.sh).
        robot.interact(() -> Screenshots.save(window.stage().getScene(), Path.of("target/screens/editor.png")));
        robot.interact(() -> window.toggleTheme());
        robot.interact(() -> Screenshots.save(window.stage().getScene(), Path.of("target/screens/editor-dark.png")));
        robot.interact(() -> window.toggleTheme());
        assertThat(text("inspector-settings-text")).contains("\"maxTokens\" : 256");

        // Replay: the text comes back piece by piece, at the pace it streamed, to the same end.
        robot.clickOn("#inspector-content"); // keep the scroll pane in view for the click below
        robot.interact(() -> robot.lookup("#inspector-replay-out-text").queryButton().fire());
        TextArea replayed = robot.lookup("#inspector-text-out-text").queryAs(TextArea.class);
        waitUntil(() -> replayed.getText().equals(streamed), 20, "the replay reaches the end of the stream");

        // A story takes the other branch; the inspector follows the run on show.
        send("Tell me a story", question.id());
        assertThat(card("question_llm").isDimmed()).isTrue();
        assertThat(card("story_llm").isDimmed()).isFalse();
        assertThat(window.canvas().wireShownCarried(untaken)).isTrue();
        clickCard(robot, "story_llm");
        assertThat(text("inspector-text-in-chat")).as("Try it sends the whole conversation")
                .startsWith("user: Why is the sky blue?\nassistant: [question] ").endsWith("\nuser: Tell me a story");

        robot.clickOn("#toolbar-stop");
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.STOPPED, 30, "the flow stops");
    }

    private InspectedRun send(String message, String previousRun) {
        robot.clickOn("#tab-try-it");
        robot.clickOn("#try-it-input").write(message);
        robot.clickOn("#try-it-send");
        AtomicReference<InspectedRun> shown = new AtomicReference<>();
        waitUntil(() -> {
            window.canvas().shownRun().filter(r -> !r.id().equals(previousRun)).ifPresent(shown::set);
            return shown.get() != null;
        }, 60, "the run '" + message + "' is shown on the canvas");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#tab-inspector");
        return shown.get();
    }

    private String header() {
        return robot.lookup("#inspector-header").queryAs(Label.class).getText();
    }

    private String text(String id) {
        return robot.lookup("#" + id).queryAs(TextArea.class).getText();
    }
}
