package dev.flowgraph.api;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.Usage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code test.gate}: CHAT in, TEXT out. Stands in for a model whose timing the test decides: each answer sends
 * "first" at once, then waits until the test opens {@link #answers} (or the run is cancelled), then " second" and
 * ends. Its start and stop wait for {@link #mayStart} and {@link #mayStop}, like a model still loading or unloading.
 * All three gates start open; a test closes the one it needs with {@link #hold}.
 */
final class GateNode implements NodeType {
    static final String TYPE = "test.gate";

    volatile CountDownLatch mayStart = new CountDownLatch(0);
    volatile CountDownLatch mayStop = new CountDownLatch(0);
    volatile CountDownLatch answers = new CountDownLatch(0);
    /** Hold the first piece too (a model still reading a long prompt), not only the rest. */
    volatile boolean holdFirstPiece;

    static CountDownLatch hold() {
        return new CountDownLatch(1);
    }

    /** Opens every gate, so nothing waits on this node any more. */
    void openAll() {
        mayStart.countDown();
        mayStop.countDown();
        answers.countDown();
    }

    /**
     * Initiator → API element → gate → API element, with the API element's settings; the node order is the start
     * order, so with {@code apiFirst} the server listens before the gate (and the Initiator after it) has started.
     */
    static FlowDocument flow(Map<String, Object> apiSettings, boolean apiFirst) {
        NodeInstance api = new NodeInstance("api", ApiElement.TYPE, null, apiSettings);
        NodeInstance gate = new NodeInstance("gate", TYPE, null, Map.of());
        NodeInstance initiator = new NodeInstance("initiator", "initiator", null, Map.of());
        return new FlowDocument(1, "gated", "", apiFirst ? List.of(api, gate, initiator) : List.of(initiator, api, gate),
                List.of(Wire.of("initiator.signal", "api.keepAlive"), Wire.of("api.request", "gate.chat"),
                        Wire.of("gate.text", "api.response")));
    }

    @Override
    public NodeDescriptor descriptor() {
        return NodeDescriptor.builder(TYPE, "Test gate").category("Test")
                .input(PortSpec.required("chat", DataType.CHAT, ""))
                .output(PortSpec.output("text", DataType.TEXT, ""))
                .build();
    }

    /** The gate as a model slot whose model is loading while this is true (for the model routes' admission). */
    volatile boolean loading;

    /** A node behaviour that is also a model slot: what the API element looks for in a flow. */
    private abstract class Behaviour implements NodeBehavior, dev.flowgraph.core.chat.ModelSlot {
        private final NodeContext context;

        Behaviour(NodeContext context) {
            this.context = context;
        }

        @Override
        public String modelNodeId() {
            return context.nodeId();
        }

        @Override
        public ModelFile current() {
            return new ModelFile("gate.gguf", java.nio.file.Path.of("gate.gguf"), 0, "gate", 0);
        }

        @Override
        public boolean isLoading() {
            return loading;
        }

        @Override
        public java.util.List<ModelFile> available() {
            return java.util.List.of(current());
        }

        @Override
        public ModelFile load(String name) {
            throw new IllegalArgumentException("the gate loads nothing");
        }

        @Override
        public void unload() {
        }
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Outlet out = context.output("text");
        return new Behaviour(context) {
            @Override
            public void start() throws InterruptedException {
                mayStart.await(60, TimeUnit.SECONDS);
            }

            @Override
            public void receive(String port, Packet packet) {
                if (packet instanceof Packet.End end) {
                    Run run = end.run();
                    if (!holdFirstPiece) {
                        out.emit(new Packet.Delta(run, "first"));
                    }
                    CountDownLatch gate = answers;
                    context.workers().execute(() -> {
                        try {
                            while (!gate.await(10, TimeUnit.MILLISECONDS)) {
                                if (run.isCancelled()) {
                                    out.emit(new Packet.End(run, null, "cancelled"));
                                    return;
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        out.emit(new Packet.Delta(run, " second"));
                        out.emit(new Packet.End(run, new Usage(1, 2), Packet.End.STOP));
                    });
                }
            }

            @Override
            public void stop() {
                try {
                    mayStop.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
