package dev.flowgraph.nodes.route;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Routes each run to the output of the first case whose rule holds, else to {@code default}. */
public final class Switch implements NodeType {
    public static final String TYPE = "route.switch";
    static final String DEFAULT = "default";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    static final PortSpec IN = PortSpec.required("in", DataType.ANY,
            "What is routed: text (streamed), JSON, or a conversation (its last user message is tested)");

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Switch")
            .category("Logic")
            .description("Sends each run down the output of the first case whose rule holds (or of every one, as "
                    + "'matches' says), or down 'default'. "
                    + "The other outputs are told the run is not coming. A stream is held only until a rule can "
                    + "decide: 'starts with', 'equals' and 'contains' decide on the first pieces, the other rules "
                    + "wait for the whole text.")
            .input(IN)
            .routing()
            .setting(SettingSpec.stringList("cases").help("One case per line, 'label: rule', tried in order; each "
                    + "label is an output. Rules: " + Rule.SYNTAX + ". Example: 'question: ends with ?'."))
            .setting(SettingSpec.bool("ignoreCase", false).help("Text rules ignore upper and lower case."))
            .setting(SettingSpec.choice("matches", "first", "first", "every").help("first: the run takes the first "
                    + "case that holds; every: it takes every case that holds, as parallel branches (join them with a "
                    + "Gather), and 'default' only when none does."))
            .ports("one output per case, named by its label, then 'default'", Switch::ports)
            .check((settings, scope) -> parse(settings.stringList("cases"), false).problems())
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Parsed parsed = parse(context.settings().stringList("cases"), context.settings().bool("ignoreCase"));
        return new Route(context, parsed.cases(), DEFAULT, context.settings().string("matches").equals("every"));
    }

    private static NodePorts ports(NodeSettings settings, dev.flowgraph.core.node.PortScope scope) {
        List<PortSpec> outputs = new ArrayList<>();
        for (Route.Case c : parse(settings.stringList("cases"), false).cases()) {
            outputs.add(PortSpec.output(c.label(), DataType.ANY, "Runs for which this case holds"));
        }
        outputs.add(PortSpec.output(DEFAULT, DataType.ANY, "Runs no case takes"));
        return new NodePorts(List.of(IN), outputs);
    }

    record Parsed(List<Route.Case> cases, List<SettingProblem> problems) {
    }

    /** Reads the case lines; a line that does not read is a problem and has no output. */
    static Parsed parse(List<String> lines, boolean ignoreCase) {
        List<Route.Case> cases = new ArrayList<>();
        List<SettingProblem> problems = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            String label = colon < 0 ? "" : line.substring(0, colon).strip();
            String where = "case " + (i + 1) + " ('" + line + "')";
            if (!LABEL.matcher(label).matches()) {
                problems.add(new SettingProblem("cases", where + " must start with a label and a colon, such as "
                        + "'question: ends with ?' (a label is a letter, then letters, digits, '_' or '-')"));
                continue;
            }
            if (label.equals(DEFAULT) || !labels.add(label)) {
                problems.add(new SettingProblem("cases", where + ": the label '" + label + "' is "
                        + (label.equals(DEFAULT) ? "kept for the fallback output" : "used twice")));
                continue;
            }
            try {
                cases.add(new Route.Case(label, Rule.parse(line.substring(colon + 1), ignoreCase)));
            } catch (IllegalArgumentException e) {
                problems.add(new SettingProblem("cases", where + ": " + e.getMessage()));
            }
        }
        return new Parsed(cases, problems);
    }
}
