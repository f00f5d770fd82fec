package dev.flowgraph.nodes.flows;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small flows written in a line each: nodes by id, type and settings, wires as {@code "a.out -> b.in"}. */
final class TestGraphs {
    private final String name;
    private final List<NodeInstance> nodes = new ArrayList<>();
    private final List<Wire> wires = new ArrayList<>();

    private TestGraphs(String name) {
        this.name = name;
    }

    static TestGraphs flow(String name) {
        return new TestGraphs(name);
    }

    /** @param settings alternating names and values */
    TestGraphs node(String id, String type, Object... settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            values.put((String) settings[i], settings[i + 1]);
        }
        nodes.add(new NodeInstance(id, type, new Position(nodes.size() * 260, 40), values));
        return this;
    }

    TestGraphs wire(String fromTo) {
        String[] ends = fromTo.split("\\s*->\\s*");
        wires.add(Wire.of(ends[0], ends[1]));
        return this;
    }

    FlowDocument build() {
        return new FlowDocument(FlowDocument.FORMAT, name, "", nodes, wires);
    }

    Path save(Path dir, String fileName) throws Exception {
        Path file = dir.resolve(fileName);
        FlowFiles.save(build(), file);
        return file;
    }

    /** The test model, as the flows under test name it. */
    static String model() {
        return dev.flowgraph.core.testing.TestModels.stories().toString();
    }
}
