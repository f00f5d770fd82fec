package dev.flowgraph.core.testing;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.FlowEntry;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Small node types for testing flow-core without any real node module: a keep-alive source, an entry (loop
 * boundary), a text splitter that streams words, and a node that fails on demand.
 */
public final class TestNodes {
    private TestNodes() {
    }

    public static NodeRegistry registry() {
        return NodeRegistry.of(all());
    }

    public static List<NodeType> all() {
        return List.of(new Keepalive(), new Entry(), new Words(), new Faulty(), new Transcript());
    }

    /** {@code test.keepalive}: output {@code signal} (SIGNAL). */
    public static final class Keepalive implements NodeType {
        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.keepalive", "Test keep-alive").category("Test")
                    .output(PortSpec.output("signal", DataType.SIGNAL, "")).build();
        }

        @Override
        public NodeBehavior create(NodeContext context) {
            Outlet out = context.output("signal");
            return new NodeBehavior() {
                @Override
                public void start() {
                    out.emit(new Packet.Delta(context.flowRun(), "on"));
                }

                @Override
                public void receive(String port, Packet packet) {
                }

                @Override
                public void stop() {
                    out.emit(Packet.End.of(context.flowRun()));
                }
            };
        }
    }

    /**
     * {@code test.entry}: loop boundary; inputs {@code alive} (SIGNAL, from test.keepalive) and {@code back}
     * (TEXT); output {@code out} (CHAT). Setting {@code label} (string, required, letters only).
     */
    public static final class Entry implements NodeType {
        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.entry", "Test entry").category("Test").loopBoundary()
                    .input(PortSpec.required("alive", DataType.SIGNAL, "").fromNodeTypes("test.keepalive"))
                    .input(PortSpec.required("back", DataType.TEXT, ""))
                    .output(PortSpec.output("out", DataType.CHAT, ""))
                    .setting(SettingSpec.string("label", null).asRequired().matching("[a-z]+"))
                    .build();
        }

        @Override
        public NodeBehavior create(NodeContext context) {
            return new EntryBehavior(context);
        }
    }

    private static final class EntryBehavior implements NodeBehavior, FlowEntry {
        private final NodeContext context;
        private final Map<Run, Consumer<Packet>> listeners = new ConcurrentHashMap<>();
        private volatile boolean alive;

        EntryBehavior(NodeContext context) {
            this.context = context;
        }

        @Override
        public String nodeId() {
            return context.nodeId();
        }

        @Override
        public Run submit(ChatRequest request, Consumer<Packet> listener) {
            if (!alive) {
                throw new IllegalStateException("not alive");
            }
            Run run = context.newRun(null);
            listeners.put(run, listener);
            context.output("out").emit(new Packet.Delta(run, request));
            context.output("out").emit(Packet.End.of(run));
            return run;
        }

        @Override
        public void receive(String port, Packet packet) {
            if (port.equals("alive")) {
                alive = packet instanceof Packet.Delta;
                return;
            }
            Consumer<Packet> l = packet.isTerminal() ? listeners.remove(packet.run()) : listeners.get(packet.run());
            if (l != null) {
                l.accept(packet);
            }
            if (packet.isTerminal()) {
                context.runFinished(packet.run());
            }
        }
    }

    /**
     * {@code test.words}: input {@code chat} (CHAT), output {@code text} (TEXT): streams the last user message
     * word by word from a worker, checking for cancellation between words. Setting {@code pauseMillis}.
     */
    public static final class Words implements NodeType {
        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.words", "Test words").category("Test")
                    .input(PortSpec.required("chat", DataType.CHAT, ""))
                    .output(PortSpec.output("text", DataType.TEXT, ""))
                    .setting(SettingSpec.integer("pauseMillis", 0).range(0, 10_000))
                    .build();
        }

        @Override
        public NodeBehavior create(NodeContext context) {
            Outlet out = context.output("text");
            int pause = context.settings().integer("pauseMillis");
            Map<Run, String> pending = new java.util.HashMap<>();
            return (port, packet) -> {
                if (packet instanceof Packet.Delta d) {
                    pending.put(d.run(), ((ChatRequest) d.value()).lastUserMessage().orElseThrow().content());
                } else if (packet instanceof Packet.End end) {
                    String text = pending.remove(end.run());
                    context.workers().execute(() -> {
                        int n = 0;
                        for (String word : text.split(" ")) {
                            if (end.run().isCancelled()) {
                                out.emit(new Packet.End(end.run(), null, "cancelled"));
                                return;
                            }
                            sleep(pause);
                            out.emit(new Packet.Delta(end.run(), word));
                            n++;
                        }
                        end.run().trace().tokens(context.nodeId(), 0, n);
                        out.emit(new Packet.End(end.run(), new dev.flowgraph.core.run.Usage(0, n), "stop"));
                    });
                } else {
                    out.emit(packet);
                }
            };
        }
    }

    /** {@code test.faulty}: CHAT in, CHAT out; throws when the last user message is "fail". */
    public static final class Faulty implements NodeType {
        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.faulty", "Test faulty").category("Test")
                    .input(PortSpec.required("chat", DataType.CHAT, ""))
                    .output(PortSpec.output("chat", DataType.CHAT, ""))
                    .setting(SettingSpec.number("ratio", 0.5).range(0, 1))
                    .setting(SettingSpec.choice("mode", "a", "a", "b"))
                    .setting(SettingSpec.bool("flag", false))
                    .build();
        }

        @Override
        public NodeBehavior create(NodeContext context) {
            Outlet out = context.output("chat");
            return (port, packet) -> {
                if (packet instanceof Packet.Delta d
                        && ((ChatRequest) d.value()).lastUserMessage().orElseThrow().content().equals("fail")) {
                    throw new IllegalStateException("asked to fail");
                }
                out.emit(packet);
            };
        }
    }

    /**
     * {@code test.transcript}: input {@code chat} (CHAT), output {@code text} (TEXT): answers with the whole
     * conversation it was given, one {@code role: content} line per message, so a test sees what a model would.
     */
    public static final class Transcript implements NodeType {
        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.transcript", "Test transcript").category("Test")
                    .input(PortSpec.required("chat", DataType.CHAT, ""))
                    .output(PortSpec.output("text", DataType.TEXT, ""))
                    .build();
        }

        @Override
        public NodeBehavior create(NodeContext context) {
            Outlet out = context.output("text");
            return (port, packet) -> {
                if (packet instanceof Packet.Delta d) {
                    StringBuilder text = new StringBuilder();
                    for (var m : ((ChatRequest) d.value()).messages()) {
                        text.append(m.role().wireName()).append(": ").append(m.content()).append('\n');
                    }
                    out.emit(new Packet.Delta(d.run(), text.toString()));
                } else {
                    out.emit(packet);
                }
            };
        }
    }

    private static void sleep(int millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
