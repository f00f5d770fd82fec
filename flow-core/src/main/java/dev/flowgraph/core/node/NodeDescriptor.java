package dev.flowgraph.core.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything there is to know about a node type, declared once: it drives the runtime, validation, the
 * editor's palette and property sheet, and the generated node reference.
 *
 * @param inputs       the ports every node of this type has (a {@code portRule} may add more)
 * @param outputs      likewise
 * @param loopBoundary a cycle may pass through a node of this type (its output starts a run, its input ends it)
 * @param portRule     computes a node's ports from its settings (a template's placeholders, a switch's cases), or
 *                     null when the declared ports are all there is
 * @param portsNote    for the node reference: how the ports follow the settings ("one output per case")
 * @param check        finds what a setting's type and range cannot say (a regex that does not compile), or null
 * @param seesNotTaken the node's behaviour is handed {@link dev.flowgraph.core.run.Packet.NotTaken} marks itself
 *                     (joins such as Gather); for other nodes the runtime passes them on (see FlowRuntime)
 * @param routing      the node sends each run down some of its outputs and not-taken marks down the others (Switch)
 * @param entry        the node starts runs and must answer each (the API element): a not-taken mark that reaches it
 *                     ends the run with an error
 */
public record NodeDescriptor(String id, String name, String category, String description,
                             List<PortSpec> inputs, List<PortSpec> outputs, List<SettingSpec> settings,
                             boolean loopBoundary, PortRule portRule, String portsNote, SettingsCheck check,
                             boolean seesNotTaken, boolean routing, boolean entry) {

    /** Computes a node's ports from its settings; must not fail on odd values (the check reports those). */
    @FunctionalInterface
    public interface PortRule {
        NodePorts ports(NodeSettings settings, PortScope scope);
    }

    /** Finds problems in a node's settings beyond their declared type and range. */
    @FunctionalInterface
    public interface SettingsCheck {
        List<SettingProblem> check(NodeSettings settings, PortScope scope);
    }

    public NodeDescriptor {
        Objects.requireNonNull(id, "id");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        settings = List.copyOf(settings);
        portsNote = portsNote == null ? "" : portsNote;
    }

    /** Whether this type's ports follow its settings. */
    public boolean hasDynamicPorts() {
        return portRule != null;
    }

    /** The ports of a node of this type with these settings. */
    public NodePorts ports(NodeSettings settings, PortScope scope) {
        return portRule == null ? new NodePorts(inputs, outputs) : portRule.ports(settings, scope);
    }

    /** The ports of a node with the settings written in a flow file (defaults for the rest). */
    public NodePorts ports(java.util.Map<String, Object> fileValues, PortScope scope) {
        return portRule == null ? new NodePorts(inputs, outputs)
                : portRule.ports(NodeSettings.lenient(this, fileValues, scope), scope);
    }

    /** The ports of a node left at its defaults (the palette's new node, the node reference). */
    public NodePorts defaultPorts() {
        return ports(java.util.Map.of(), PortScope.of(null));
    }

    /** Problems of the node's own check, or none. */
    public List<SettingProblem> check(NodeSettings settings, PortScope scope) {
        return check == null ? List.of() : check.check(settings, scope);
    }

    public Optional<PortSpec> input(String port) {
        return inputs.stream().filter(p -> p.name().equals(port)).findFirst();
    }

    public Optional<PortSpec> output(String port) {
        return outputs.stream().filter(p -> p.name().equals(port)).findFirst();
    }

    public Optional<SettingSpec> setting(String name) {
        return settings.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public static Builder builder(String id, String name) {
        return new Builder(id, name);
    }

    /** Reads like the declaration it is: {@code builder(..).category(..).input(..).setting(..).build()}. */
    public static final class Builder {
        private final String id;
        private final String name;
        private String category = "General";
        private String description = "";
        private final List<PortSpec> inputs = new ArrayList<>();
        private final List<PortSpec> outputs = new ArrayList<>();
        private final List<SettingSpec> settings = new ArrayList<>();
        private boolean loopBoundary;
        private PortRule portRule;
        private String portsNote;
        private SettingsCheck check;
        private boolean seesNotTaken;
        private boolean routing;
        private boolean entry;

        private Builder(String id, String name) {
            this.id = id;
            this.name = name;
        }

        public Builder category(String category) {
            this.category = category;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder input(PortSpec port) {
            inputs.add(port);
            return this;
        }

        public Builder output(PortSpec port) {
            outputs.add(port);
            return this;
        }

        public Builder setting(SettingSpec setting) {
            settings.add(setting);
            return this;
        }

        public Builder loopBoundary() {
            this.loopBoundary = true;
            return this;
        }

        /** The node's ports follow its settings: {@code rule} gives all of them; {@code note} says how, for the docs. */
        public Builder ports(String note, PortRule rule) {
            this.portsNote = note;
            this.portRule = rule;
            return this;
        }

        public Builder check(SettingsCheck check) {
            this.check = check;
            return this;
        }

        /** The behaviour receives {@code NotTaken} marks (it joins branches and decides itself). */
        public Builder seesNotTaken() {
            this.seesNotTaken = true;
            return this;
        }

        /** The node routes runs: each goes down some outputs, not-taken marks down the others. */
        public Builder routing() {
            this.routing = true;
            return this;
        }

        /** The node starts runs and answers each (the API element). */
        public Builder entry() {
            this.entry = true;
            return this;
        }

        public NodeDescriptor build() {
            return new NodeDescriptor(id, name, category, description, inputs, outputs, settings, loopBoundary,
                    portRule, portsNote, check, seesNotTaken, routing, entry);
        }
    }
}
