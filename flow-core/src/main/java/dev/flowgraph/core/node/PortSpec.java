package dev.flowgraph.core.node;

import java.util.Objects;
import java.util.Set;

/**
 * An input or output port of a node type.
 *
 * @param sourceTypes for an input: the node type ids it must be wired from (empty: any node)
 * @param many        for an input: meant for several wires, one per branch (a Merge's); the editor adds a wire here
 *                    instead of replacing the one there
 */
public record PortSpec(String name, DataType type, boolean required, String description, Set<String> sourceTypes,
                       boolean many) {

    public PortSpec(String name, DataType type, boolean required, String description, Set<String> sourceTypes) {
        this(name, type, required, description, sourceTypes, false);
    }

    public PortSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        sourceTypes = Set.copyOf(sourceTypes == null ? Set.of() : sourceTypes);
    }

    public static PortSpec required(String name, DataType type, String description) {
        return new PortSpec(name, type, true, description, Set.of());
    }

    public static PortSpec optional(String name, DataType type, String description) {
        return new PortSpec(name, type, false, description, Set.of());
    }

    public static PortSpec output(String name, DataType type, String description) {
        return new PortSpec(name, type, false, description, Set.of());
    }

    /** This input must be wired from a node of one of the given types. */
    public PortSpec fromNodeTypes(String... typeIds) {
        return new PortSpec(name, type, required, description, Set.of(typeIds), many);
    }

    /** This input joins branches: it is meant to take several wires. */
    public PortSpec takingMany() {
        return new PortSpec(name, type, required, description, sourceTypes, true);
    }
}
