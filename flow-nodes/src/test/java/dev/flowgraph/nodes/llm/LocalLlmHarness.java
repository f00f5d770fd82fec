package dev.flowgraph.nodes.llm;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestFlows;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.core.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Runs a Local LLM node with the real test model inside a minimal flow: keep-alive → entry → llm → entry. */
final class LocalLlmHarness implements AutoCloseable {
    final FlowRuntime runtime;

    LocalLlmHarness(Map<String, Object> llmSettings) throws Exception {
        Map<String, Object> settings = new HashMap<>(llmSettings);
        settings.putIfAbsent("modelPath", TestModels.stories().toString());
        settings.putIfAbsent("threads", 1);
        FlowDocument flow = new FlowDocument(1, "llm-test", "", List.of(
                TestFlows.node("alive", "test.keepalive", Map.of()),
                TestFlows.node("entry", "test.entry", Map.of("label", "llm")),
                TestFlows.node("llm", LocalLlm.TYPE, settings)),
                List.of(Wire.of("alive.signal", "entry.alive"), Wire.of("entry.out", "llm.chat"),
                        Wire.of("llm.text", "entry.back")));
        List<NodeType> types = new ArrayList<>(TestNodes.all());
        types.add(new LocalLlm());
        runtime = FlowRuntime.start(flow, NodeRegistry.of(types), RuntimeOptions.inProcess(Path.of(".")));
    }

    /** The running Local LLM node of this harness. */
    LocalLlmNode llmNode() {
        return runtime.behaviorOf("llm", LocalLlmNode.class);
    }

    /** The answer's deltas joined, and its ending. */
    record Answer(Run run, String text, int deltas, Packet end) {
        Packet.End ended() {
            return (Packet.End) end;
        }
    }

    Answer ask(String prompt) throws InterruptedException {
        Stream stream = submit(prompt);
        return stream.finish();
    }

    Stream submit(String prompt) {
        return submit(ChatRequest.ofUser(prompt));
    }

    Answer ask(ChatRequest request) throws InterruptedException {
        return submit(request).finish();
    }

    Stream submit(ChatRequest request) {
        LinkedBlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
        Run run = runtime.entry().submit(request, packets::offer);
        return new Stream(run, packets);
    }

    record Stream(Run run, LinkedBlockingQueue<Packet> packets) {
        Answer finish() throws InterruptedException {
            StringBuilder text = new StringBuilder();
            int deltas = 0;
            while (true) {
                Packet p = packets.poll(30, TimeUnit.SECONDS);
                if (p == null) {
                    throw new AssertionError("no packet within 30 s");
                }
                if (p instanceof Packet.Delta d) {
                    text.append((String) d.value());
                    deltas++;
                } else {
                    return new Answer(run, text.toString(), deltas, p);
                }
            }
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
