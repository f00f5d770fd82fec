package dev.flowgraph.core.testing;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;

import java.util.List;
import java.util.Map;

/** A valid flow of {@link TestNodes}: keepalive → entry → faulty → words → entry. */
public final class TestFlows {
    private TestFlows() {
    }

    public static FlowDocument loop(int pauseMillis) {
        return new FlowDocument(FlowDocument.FORMAT, "test-loop", "", List.of(
                node("alive", "test.keepalive", Map.of()),
                node("entry", "test.entry", Map.of("label", "abc")),
                node("faulty", "test.faulty", Map.of()),
                node("words", "test.words", Map.of("pauseMillis", pauseMillis))),
                List.of(Wire.of("alive.signal", "entry.alive"), Wire.of("entry.out", "faulty.chat"),
                        Wire.of("faulty.chat", "words.chat"), Wire.of("words.text", "entry.back")));
    }

    public static NodeInstance node(String id, String type, Map<String, Object> settings) {
        return new NodeInstance(id, type, new Position(10, 20), settings);
    }
}
