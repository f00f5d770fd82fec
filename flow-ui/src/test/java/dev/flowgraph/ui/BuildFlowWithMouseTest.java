package dev.flowgraph.ui;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.validate.FlowValidator;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class BuildFlowWithMouseTest extends EditorFixture {

    @Test
    void theStoryApiFlowDrawnWithTheMouseSavesAsTheExample(@TempDir Path dir) throws Exception {
        dragFromPalette(robot, "initiator", canvasPoint(0.15, 0.2));
        dragFromPalette(robot, "api.element", canvasPoint(0.45, 0.2));
        dragFromPalette(robot, "prompt.chat", canvasPoint(0.45, 0.65));
        dragFromPalette(robot, "llm.local", canvasPoint(0.8, 0.65));
        assertThat(flow().nodes()).extracting(NodeInstance::id).containsExactly("initiator", "api", "prompt", "llm");

        dragPort(robot, "initiator", "signal", "api", "keepAlive");
        dragPort(robot, "api", "request", "prompt", "chat");
        dragPort(robot, "prompt", "chat", "llm", "chat");
        dragPort(robot, "llm", "text", "api", "response");
        assertThat(flow().wires()).hasSize(4);

        clickCard(robot, "api");
        clickSetting("setting-apiKey-masked").write("${env:FLOW_API_KEY}");
        clickSetting("setting-port").write("5050");
        clickCard(robot, "prompt");
        clickSetting("setting-template").write("{{input}}");
        clickCard(robot, "llm");
        clickSetting("setting-modelPath").write("models/stories260K.gguf");
        clickSetting("setting-maxTokens").write("256");
        clickSetting("setting-temperature").write("0.8");
        robot.clickOn(window.canvas());

        assertThat(window.problems()).isEmpty();
        assertThat(window.stage().getTitle()).startsWith("● Untitled flow");

        saveTarget = dir.resolve("story-api.flow.json");
        shortcut(robot, KeyCode.CONTROL, KeyCode.S);
        assertThat(window.stage().getTitle()).isEqualTo("story-api.flow.json — Flowgraph Editor");

        FlowDocument saved = FlowFiles.load(saveTarget);
        FlowDocument example = FlowFiles.load(EXAMPLE);
        assertThat(asGraph(saved)).isEqualTo(asGraph(example));
        assertThat(new FlowValidator(NodeRegistry.discover()).validate(saved)).isEmpty();
        assertThat(saved.node("llm").orElseThrow().position().x())
                .isGreaterThan(saved.node("prompt").orElseThrow().position().x());
    }

    /** A flow reduced to what makes it the same graph: each node's type and settings, and the wires by type. */
    private static Map<String, Object> asGraph(FlowDocument flow) {
        Map<String, String> typeOf = flow.nodes().stream()
                .collect(Collectors.toMap(NodeInstance::id, NodeInstance::type));
        Function<String, String> port = ref -> typeOf.get(ref.substring(0, ref.indexOf('.')))
                + ref.substring(ref.indexOf('.'));
        Set<String> wires = flow.wires().stream()
                .map(w -> port.apply(w.from().toString()) + " -> " + port.apply(w.to().toString()))
                .collect(Collectors.toSet());
        Map<String, Map<String, Object>> settings = flow.nodes().stream()
                .collect(Collectors.toMap(NodeInstance::type, NodeInstance::settings));
        return Map.of("nodes", settings, "wires", wires);
    }
}
