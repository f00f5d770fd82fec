package dev.flowgraph.examples;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.core.validate.FlowValidator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every flow in examples/ loads and validates against the node types that ship. */
class ExampleFlowsTest {

    @Test
    void everyExampleFlowIsValid() throws Exception {
        List<Path> files;
        try (var walk = Files.walk(Path.of(""))) {
            files = walk.filter(p -> p.toString().endsWith(".flow.json") && !p.startsWith("target")).toList();
        }
        assertThat(files).isNotEmpty();
        FlowValidator validator = new FlowValidator(NodeRegistry.discover());
        for (Path file : files) {
            FlowDocument flow = FlowFiles.load(file);
            assertThat(validator.validate(flow, PortScope.of(file))).as(file.toString()).isEmpty();
        }
    }

    @Test
    void theStoryExampleKeepsItsKeyOutOfTheFile() throws Exception {
        FlowDocument flow = FlowFiles.load(Path.of("story-api.flow.json"));
        assertThat(flow.node("api").orElseThrow().settings().get("apiKey")).isEqualTo("${env:FLOW_API_KEY}");
    }
}
