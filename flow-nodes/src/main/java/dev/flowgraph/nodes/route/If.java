package dev.flowgraph.nodes.route;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;

import java.util.List;

/** The two-way Switch: {@code true} when the condition holds, else {@code false}. */
public final class If implements NodeType {
    public static final String TYPE = "route.if";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "If")
            .category("Logic")
            .description("Sends each run down 'true' when the condition holds, else down 'false'; the other output "
                    + "is told the run is not coming. Holds a stream only until the condition can decide.")
            .input(Switch.IN)
            .routing()
            .output(PortSpec.output("true", DataType.ANY, "Runs for which the condition holds"))
            .output(PortSpec.output("false", DataType.ANY, "The other runs"))
            .setting(SettingSpec.string("condition", "contains yes").asRequired()
                    .help("A rule: " + Rule.SYNTAX + "."))
            .setting(SettingSpec.bool("ignoreCase", false).help("Text rules ignore upper and lower case."))
            .check((settings, scope) -> problems(settings.string("condition")))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Rule rule = Rule.parse(context.settings().string("condition"), context.settings().bool("ignoreCase"));
        return new Route(context, List.of(new Route.Case("true", rule)), "false", false);
    }

    private static List<SettingProblem> problems(String condition) {
        try {
            Rule.parse(condition, false);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(new SettingProblem("condition", e.getMessage()));
        }
    }
}
