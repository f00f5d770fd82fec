package dev.flowgraph.core.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One node of a flow: an instance of a node type with its own settings.
 *
 * @param settings the values written in the file (defaults are not copied in); values are JSON-like:
 *                 String, Integer/Long, Double, Boolean, List of String
 */
public record NodeInstance(String id, String type, Position position, Map<String, Object> settings) {

    public NodeInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        position = position == null ? Position.ORIGIN : position;
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings == null ? Map.of() : settings));
    }

    public NodeInstance withSetting(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(settings);
        copy.put(name, value);
        return new NodeInstance(id, type, position, copy);
    }
}
