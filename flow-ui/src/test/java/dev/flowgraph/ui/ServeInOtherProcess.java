package dev.flowgraph.ui;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.store.JdbcStore;

import java.nio.file.Path;

/**
 * Serves a flow into a store from a process of its own, as {@code flow serve --store URL} does (the editor module
 * cannot start the command itself: the command is built after it). Prints the server's URL, then serves until its
 * standard input closes.
 *
 * <p>Arguments: the flow file, the store URL, the model file every Local LLM node uses.
 */
public final class ServeInOtherProcess {
    private ServeInOtherProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        FlowDocument flow = FlowFiles.load(file);
        for (var node : flow.nodes()) {
            if (node.type().equals("llm.local")) {
                flow = flow.withSetting(node.id(), "modelPath", args[2]);
            }
            if (node.type().equals("api.element")) {
                flow = flow.withSetting(node.id(), "port", 0);
            }
        }
        try (Store store = JdbcStore.open(args[1]);
             FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                     RuntimeOptions.serving(file.getParent()).withStore(store))) {
            System.out.println("URL " + ((ApiElementNode) runtime.entry()).server().url());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the test closes our input
            }
        }
    }
}
