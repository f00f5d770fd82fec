package dev.flowgraph.core.node;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The node types known to this process, by id. */
public final class NodeRegistry {
    private final Map<String, NodeType> types;

    private NodeRegistry(Map<String, NodeType> types) {
        this.types = types;
    }

    /** Every node type on the class path, found through {@link ServiceLoader}. */
    public static NodeRegistry discover() {
        return of(ServiceLoader.load(NodeType.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public static NodeRegistry of(Collection<? extends NodeType> types) {
        Map<String, NodeType> byId = new LinkedHashMap<>();
        for (NodeType t : types) {
            NodeType previous = byId.putIfAbsent(t.descriptor().id(), t);
            if (previous != null) {
                throw new IllegalStateException("two node types share the id " + t.descriptor().id() + ": "
                        + previous.getClass().getName() + " and " + t.getClass().getName());
            }
        }
        return new NodeRegistry(Map.copyOf(byId));
    }

    public Optional<NodeType> find(String typeId) {
        return Optional.ofNullable(types.get(typeId));
    }

    public Optional<NodeDescriptor> descriptor(String typeId) {
        return find(typeId).map(NodeType::descriptor);
    }

    /** Descriptors sorted by category, then name (the palette's and {@code flow nodes}' order). */
    public List<NodeDescriptor> descriptors() {
        return types.values().stream().map(NodeType::descriptor)
                .sorted(Comparator.comparing(NodeDescriptor::category).thenComparing(NodeDescriptor::name))
                .toList();
    }
}
