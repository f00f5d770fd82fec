package dev.flowgraph.nodes.route;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.Usage;
import dev.flowgraph.core.value.Values;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Waits for every branch of a run that was taken and emits their results together, in the declared order. */
public final class Gather implements NodeType {
    public static final String TYPE = "route.gather";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Gather")
            .category("Logic")
            .description("Waits until every input of a run has ended (or was not taken) and emits them together: a "
                    + "JSON object keyed by input name, or their texts joined, always in the declared order, never "
                    + "in the order they finished. Parallel branches (one output wired to several nodes) meet here.")
            .setting(SettingSpec.stringList("inputs").help("The input names, in order; one input each.")
                    .withDefault(List.of("a", "b")))
            .setting(SettingSpec.choice("mode", "json", "json", "text").help("json: an object with one key per "
                    + "input that was taken (a text becomes a string, JSON stays JSON); text: the texts joined by "
                    + "'separator'."))
            .setting(SettingSpec.text("separator", "\n\n").help("Between texts in text mode."))
            .seesNotTaken()
            .ports("one input per name in 'inputs'; the output is JSON or text by 'mode'", Gather::ports)
            .check((settings, scope) -> names(settings.stringList("inputs")))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new Behaviour(context);
    }

    private static NodePorts ports(NodeSettings settings, PortScope scope) {
        List<PortSpec> inputs = new ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(settings.stringList("inputs"))) {
            if (NAME.matcher(name).matches()) {
                inputs.add(PortSpec.optional(name, DataType.ANY, "A branch to wait for"));
            }
        }
        DataType out = settings.string("mode").equals("text") ? DataType.TEXT : DataType.JSON;
        return new NodePorts(inputs, List.of(PortSpec.output("out", out, "Every taken input's result, in order")));
    }

    private static List<SettingProblem> names(List<String> names) {
        List<SettingProblem> problems = new ArrayList<>();
        if (names.isEmpty()) {
            problems.add(new SettingProblem("inputs", "needs at least one name"));
        }
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                problems.add(new SettingProblem("inputs", "'" + name + "' is not an input name (a letter or '_', "
                        + "then letters, digits, '_' or '-')"));
            } else if (names.indexOf(name) != names.lastIndexOf(name)) {
                problems.add(new SettingProblem("inputs", "'" + name + "' is listed twice"));
            }
        }
        return problems;
    }

    private static final class Behaviour implements NodeBehavior {
        private final NodeContext context;
        private final Outlet out;
        private final List<String> inputs;
        private final boolean json;
        private final String separator;
        private final Map<Run, Pending> pending = new HashMap<>();

        Behaviour(NodeContext context) {
            this.context = context;
            this.out = context.output("out");
            this.inputs = context.ports().inputs().stream().map(PortSpec::name).filter(context::isWired).toList();
            this.json = context.settings().string("mode").equals("json");
            this.separator = context.settings().string("separator");
        }

        private static final class Pending {
            final Map<String, StringBuilder> texts = new HashMap<>();
            final Map<String, Object> values = new HashMap<>();
            final Map<String, Boolean> taken = new LinkedHashMap<>();
            Packet.NotTaken lastMark;
            boolean failed;
            int prompt;
            int completion;
        }

        @Override
        public void receive(String inputPort, Packet packet) {
            Run run = packet.run();
            Pending p = pending.computeIfAbsent(run, r -> new Pending());
            if (packet instanceof Packet.Delta delta) {
                if (delta.value() instanceof String s) {
                    p.texts.computeIfAbsent(inputPort, k -> new StringBuilder()).append(s);
                } else {
                    p.values.put(inputPort, delta.value());
                }
                return;
            }
            if (packet instanceof Packet.NotTaken mark) {
                p.taken.put(inputPort, false);
                p.lastMark = mark;
            } else {
                p.taken.put(inputPort, true);
                if (packet instanceof Packet.End end) {
                    p.prompt += end.usage().promptTokens();
                    p.completion += end.usage().completionTokens();
                } else if (!p.failed) { // the first failure ends the run here; the other inputs still end
                    p.failed = true;
                    out.emit(packet);
                }
            }
            if (p.taken.size() < inputs.size()) {
                return;
            }
            pending.remove(run);
            if (p.failed) {
                return;
            }
            if (!p.taken.containsValue(true)) {
                out.emit(new Packet.NotTaken(run, p.lastMark.routedAt(), context.nodeId()));
                return;
            }
            out.emit(new Packet.Delta(run, json ? object(p) : text(p)));
            out.emit(new Packet.End(run, new Usage(p.prompt, p.completion), Packet.End.STOP));
        }

        private ObjectNode object(Pending p) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            for (String input : inputs) {
                if (Boolean.TRUE.equals(p.taken.get(input))) {
                    node.set(input, Values.jsonOrText(valueOf(p, input)));
                }
            }
            return node;
        }

        private String text(Pending p) {
            List<String> parts = new ArrayList<>();
            for (String input : inputs) {
                if (Boolean.TRUE.equals(p.taken.get(input))) {
                    parts.add(Values.text(valueOf(p, input)));
                }
            }
            return String.join(separator, parts);
        }

        private static Object valueOf(Pending p, String input) {
            Object value = p.values.get(input);
            if (value != null) {
                return value;
            }
            StringBuilder text = p.texts.get(input);
            return text == null ? "" : text.toString();
        }
    }
}
