package dev.flowgraph.core.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A node's settings as the running node sees them: the file's values over the descriptor's defaults, with
 * {@code ${env:NAME}} references resolved. Built once when the flow starts; reads are plain map look-ups.
 */
public final class NodeSettings {
    private final String nodeId;
    private final NodeDescriptor descriptor;
    private final Map<String, Object> values;
    private final List<Path> baseDirectories;

    private NodeSettings(String nodeId, NodeDescriptor descriptor, Map<String, Object> values,
                         List<Path> baseDirectories) {
        this.nodeId = nodeId;
        this.descriptor = descriptor;
        this.values = values;
        this.baseDirectories = baseDirectories;
    }

    /**
     * Applies defaults, resolves environment references and checks every value again after resolution.
     *
     * @throws IllegalArgumentException naming the setting when a value is missing or wrong
     */
    public static NodeSettings resolve(String nodeId, NodeDescriptor descriptor, Map<String, Object> fileValues,
                                       Function<String, String> environment, List<Path> baseDirectories) {
        Map<String, Object> values = new HashMap<>();
        for (SettingSpec spec : descriptor.settings()) {
            Object raw = fileValues.containsKey(spec.name()) ? fileValues.get(spec.name()) : spec.defaultValue();
            Object value;
            try {
                value = EnvReference.resolve(raw, environment);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("setting '" + spec.name() + "' of node '" + nodeId + "': "
                        + e.getMessage());
            }
            var problem = spec.check(value);
            if (problem.isPresent()) {
                throw new IllegalArgumentException("setting '" + spec.name() + "' of node '" + nodeId + "' "
                        + problem.get());
            }
            if (value != null) {
                values.put(spec.name(), value);
            }
        }
        return new NodeSettings(nodeId, descriptor, values, List.copyOf(baseDirectories));
    }

    /**
     * The settings as written in a flow file, for working out ports and checks while a flow is edited: defaults
     * applied, {@code ${env:NAME}} left as written, a value that does not fit its setting replaced by the default
     * (the validator reports it).
     */
    public static NodeSettings lenient(NodeDescriptor descriptor, Map<String, Object> fileValues, PortScope scope) {
        Map<String, Object> values = new HashMap<>();
        for (SettingSpec spec : descriptor.settings()) {
            Object value = fileValues.get(spec.name());
            if (value == null || spec.check(value).isPresent()) {
                value = spec.defaultValue();
            }
            if (value != null) {
                values.put(spec.name(), value);
            }
        }
        Path cwd = Path.of("").toAbsolutePath();
        return new NodeSettings("?", descriptor, values, List.of(cwd, scope.flowDirectory()));
    }

    /** Whether the setting has a value (its own or a default). */
    public boolean has(String name) {
        return get(name) != null;
    }

    public String string(String name) {
        Object v = get(name);
        return v == null ? "" : (String) v;
    }

    public int integer(String name) {
        return ((Number) require(name)).intValue();
    }

    /** An INTEGER-or-auto setting: empty means {@code auto}. */
    public OptionalInt integerOrAuto(String name) {
        Object v = require(name);
        return SettingSpec.AUTO.equals(v) ? OptionalInt.empty() : OptionalInt.of(((Number) v).intValue());
    }

    public double number(String name) {
        return ((Number) require(name)).doubleValue();
    }

    public boolean bool(String name) {
        return (Boolean) require(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> stringList(String name) {
        Object v = get(name);
        return v == null ? List.of() : (List<String>) v;
    }

    /**
     * A PATH setting. A relative path is looked for in the working directory, then in the flow file's folder;
     * the first that exists wins, else the first candidate is returned (see {@link #pathCandidates}).
     */
    public Path path(String name) {
        List<Path> candidates = pathCandidates(name);
        return candidates.stream().filter(Files::exists).findFirst().orElse(candidates.get(0));
    }

    public List<Path> pathCandidates(String name) {
        Path p = Path.of(string(name));
        if (p.isAbsolute()) {
            return List.of(p);
        }
        List<Path> candidates = new ArrayList<>();
        for (Path base : baseDirectories) {
            Path candidate = base.resolve(p).toAbsolutePath().normalize();
            if (!candidates.contains(candidate)) {
                candidates.add(candidate);
            }
        }
        return candidates;
    }

    private Object get(String name) {
        if (descriptor.setting(name).isEmpty()) {
            throw new IllegalArgumentException(descriptor.id() + " declares no setting '" + name + "'");
        }
        return values.get(name);
    }

    private Object require(String name) {
        Object v = get(name);
        if (v == null) {
            throw new IllegalStateException("setting '" + name + "' of node '" + nodeId + "' has no value");
        }
        return v;
    }
}
