package dev.flowgraph.ui;

import dev.flowgraph.core.store.RunRecord;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.ui.model.FlowEdits;
import dev.flowgraph.ui.run.FlowSession;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Runs panel reads the history a separate {@code flow serve}-like process writes into the same SQLite store. */
class RunsPanelTest extends EditorFixture {
    @TempDir
    static Path dir;
    private Process server;

    @Override
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(ENV);
        env.put("FLOW_STORE", storeUrl());
        return env;
    }

    private static String storeUrl() {
        return "jdbc:sqlite:" + dir.resolve("history.db");
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.getOutputStream().close();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void runsServedByAnotherProcessAreListedFilteredOpenedAndRunAgain() throws Exception {
        String url = startServer();
        ask(url, "Why is the sky blue?", "s-1");
        ask(url, "Tell me a story", "s-2");

        robot.interact(() -> window.open(RunInspectorTest.ROUTER));
        robot.clickOn("#tab-runs");
        ListView<RunRecord> list = robot.lookup("#runs-list").queryListView();
        waitUntil(() -> list.getItems().size() == 2, 30, "the two served runs listed");
        assertThat(list.getItems().get(0).input().get(0).content()).as("newest first").isEqualTo("Tell me a story");

        // Live: a run served while the panel is open appears without a click.
        ask(url, "Is it raining?", "s-1");
        waitUntil(() -> list.getItems().size() == 3, 30, "the new run appears by itself");

        robot.clickOn("#runs-session").write("s-1");
        waitUntil(() -> list.getItems().size() == 2, 5, "filtered by session");
        robot.clickOn("#runs-text").write("raining");
        waitUntil(() -> list.getItems().size() == 1, 5, "filtered by text");
        robot.interact(() -> robot.lookup("#runs-text").queryAs(javafx.scene.control.TextField.class).clear());
        robot.interact(() -> robot.lookup("#runs-status").queryAs(ChoiceBox.class).setValue("error"));
        waitUntil(() -> list.getItems().isEmpty(), 5, "filtered by status");
        robot.interact(() -> robot.lookup("#runs-status").queryAs(ChoiceBox.class).setValue("any status"));
        waitUntil(() -> list.getItems().size() == 2, 5, "the runs of session s-1 are back");
        String status = list.getItems().get(1).status().wireName();
        assertThat(status).isIn("ok", "length");
        robot.interact(() -> robot.lookup("#runs-status").queryAs(ChoiceBox.class).setValue(status));
        assertThat(list.getItems()).isNotEmpty().allMatch(r -> r.status().wireName().equals(status));

        robot.interact(() -> list.getSelectionModel().select(1));
        assertThat(list.getSelectionModel().getSelectedItem().input()).hasSize(1);
        robot.clickOn("#runs-open");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(card("question_llm").runBadgeText()).matches(".* ms · [1-9]\\d* tok");
        assertThat(card("story_llm").isDimmed()).as("the question branch was taken").isTrue();
        assertThat(card("route").isDimmed()).isFalse();
        robot.interact(() -> Screenshots.save(window.stage().getScene(), Path.of("target/screens/editor-runs.png")));

        robot.clickOn("#tab-inspector");
        clickCard(robot, "api");
        assertThat(text("inspector-text-in-request")).isEqualTo("user: Why is the sky blue?");
        assertThat(text("inspector-text-out-answer")).startsWith("[question] ");

        // Run again: the recorded input goes through the flow running in the editor.
        String model = TestModels.stories().toString();
        robot.interact(() -> window.document().apply("test setup", f -> FlowEdits.setSetting(FlowEdits.setSetting(
                FlowEdits.setSetting(f, "api", "port", 0), "question_llm", "modelPath", model), "story_llm", "modelPath", model)));
        robot.clickOn("#toolbar-run");
        waitUntil(() -> window.session().statusProperty().get() == FlowSession.Status.RUNNING, 60, "the flow runs");
        String recordedId = window.canvas().shownRun().orElseThrow().id();
        robot.clickOn("#tab-runs");
        robot.clickOn("#runs-again");
        waitUntil(() -> window.canvas().shownRun().filter(r -> !r.id().equals(recordedId)).isPresent(), 60,
                "the run made again is shown");
        assertThat(robot.lookup("#try-it-transcript").queryAs(TextArea.class).getText())
                .startsWith("You: Why is the sky blue?\n\nFlow: [question] ");
        assertThat(card("story_llm").isDimmed()).isTrue();
    }

    private String startServer() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServeInOtherProcess.class.getName(),
                RunInspectorTest.ROUTER.toString(), storeUrl(), TestModels.stories().toString());
        pb.environment().put("FLOW_API_KEY", ENV.get("FLOW_API_KEY"));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        server = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("URL ")) {
                return line.substring(4);
            }
        }
        throw new AssertionError("the serving process ended before it served: exit " + server.waitFor());
    }

    private static void ask(String url, String question, String session) throws Exception {
        String body = "{\"message\":[{\"role\":\"user\",\"content\":\"" + question + "\"}],\"session_id\":\"" + session + "\"}";
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/prompt"))
                .header("X-API-Key", ENV.get("FLOW_API_KEY")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private String text(String id) {
        return robot.lookup("#" + id).queryAs(TextArea.class).getText();
    }
}
