package dev.flowgraph.core.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything there is to know about a node type, declared once: it drives the runtime, validation, the
 * editor's palette and property sheet, and the generated node reference.
 *
 * @param loopBoundary a cycle may pass through a node of this type (its output starts a run, its input ends it)
 */
public record NodeDescriptor(String id, String name, String category, String description,
                             List<PortSpec> inputs, List<PortSpec> outputs, List<SettingSpec> settings,
                             boolean loopBoundary) {

    public NodeDescriptor {
        Objects.requireNonNull(id, "id");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        settings = List.copyOf(settings);
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

        public NodeDescriptor build() {
            return new NodeDescriptor(id, name, category, description, inputs, outputs, settings, loopBoundary);
        }
    }
}
