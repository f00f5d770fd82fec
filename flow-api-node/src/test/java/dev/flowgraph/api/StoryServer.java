package dev.flowgraph.api;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.core.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The real example flow ({@code examples/story-api.flow.json}) served by the real API element on a free
 * loopback port, with the real test model; settings of its nodes can be overridden per test.
 */
final class StoryServer implements AutoCloseable {
    static final String KEY = "TestKey42";

    final FlowRuntime runtime;
    final String url;
    final LinkedBlockingQueue<Run> finishedRuns = new LinkedBlockingQueue<>();

    private StoryServer(FlowDocument flow, NodeType... extra) throws Exception {
        runtime = FlowRuntime.start(flow, registry(extra),
                RuntimeOptions.serving(exampleFile().getParent()).withEnvironment(Map.of("FLOW_API_KEY", KEY)::get));
        runtime.onRunFinished(finishedRuns::offer);
        url = ((ApiElementNode) runtime.entry()).server().url();
    }

    /** The example flow with {@code overrides} as "node.setting" → value. */
    static StoryServer start(Map<String, Object> overrides) throws Exception {
        return new StoryServer(flow(overrides));
    }

    /** Serves {@code flow}, which may use {@code extra} node types (test stand-ins) beside the real ones. */
    static StoryServer startFlow(FlowDocument flow, NodeType... extra) throws Exception {
        return new StoryServer(flow, extra);
    }

    static FlowDocument flow(Map<String, Object> overrides) throws Exception {
        FlowDocument flow = FlowFiles.load(exampleFile())
                .withSetting("api", "port", 0)
                .withSetting("api", "host", "127.0.0.1")
                .withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "threads", 1);
        for (var e : overrides.entrySet()) {
            String[] at = e.getKey().split("\\.", 2);
            flow = flow.withSetting(at[0], at[1], e.getValue());
        }
        return flow;
    }

    static Path exampleFile() {
        return TestModels.projectRoot().resolve("examples").resolve("story-api.flow.json");
    }

    /** The node types on the class path plus flow-core's test nodes and {@code extra}. */
    static NodeRegistry registry(NodeType... extra) {
        List<NodeType> types = new ArrayList<>(TestNodes.all());
        types.addAll(List.of(extra));
        ServiceLoader.load(NodeType.class).forEach(types::add);
        return NodeRegistry.of(types);
    }

    String prompt() {
        return url + "/prompt";
    }

    @Override
    public void close() {
        runtime.close();
    }
}
