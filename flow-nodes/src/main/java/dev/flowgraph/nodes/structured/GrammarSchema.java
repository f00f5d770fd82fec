package dev.flowgraph.nodes.structured;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.value.Values;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether llama.cpp can make a grammar of a JSON Schema. Its converter ends the whole process on a schema it cannot
 * read (a {@code "type": 12}, a remote {@code $ref}, a pattern without anchors), so a schema from a flow file or a
 * request is read here first, against the subset of JSON Schema the converter knows, and refused with a message
 * instead. Keywords outside that subset are refused too, rather than guessed at.
 */
public final class GrammarSchema {
    private static final Set<String> KEYWORDS = Set.of("type", "properties", "required", "additionalProperties", "items",
            "prefixItems", "minItems", "maxItems", "enum", "const", "minLength", "maxLength", "minimum", "maximum",
            "exclusiveMinimum", "exclusiveMaximum", "anyOf", "oneOf", "allOf", "$ref", "$defs", "definitions",
            "format", "pattern", "description", "title", "$schema", "$id", "$comment", "default", "examples");
    private static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "object", "array", "null");
    private static final Set<String> FORMATS = Set.of("date", "time", "date-time", "uuid");
    private static final Set<String> COUNTS = Set.of("minItems", "maxItems", "minLength", "maxLength");
    private static final Set<String> BOUNDS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
    private static final int MAX_DEPTH = 32;
    private static final int MAX_CHARS = 65_536;

    private GrammarSchema() {
    }

    /** Why llama.cpp could not make a grammar of {@code schemaText}, or null when it can. */
    public static String problem(String schemaText) {
        if (schemaText.length() > MAX_CHARS) {
            return "the JSON schema is over " + MAX_CHARS + " characters";
        }
        JsonNode root;
        try {
            root = Values.JSON.readTree(schemaText);
        } catch (JsonProcessingException e) {
            return "the JSON schema is not JSON: " + e.getOriginalMessage();
        }
        if (root == null || !root.isObject()) {
            return "a JSON schema is an object, such as {\"type\":\"object\"}";
        }
        return check(root, root, "#", 0);
    }

    private static String check(JsonNode root, JsonNode schema, String at, int depth) {
        if (depth > MAX_DEPTH) {
            return at + " nests deeper than " + MAX_DEPTH + " levels";
        }
        if (!schema.isObject()) {
            return at + " must be a schema object";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String here = at + "/" + key;
            if (!KEYWORDS.contains(key)) {
                return here + ": '" + key + "' is not supported where the model is held to the schema";
            }
            String problem = switch (key) {
                case "type" -> type(v, here);
                case "properties", "$defs", "definitions" -> children(root, v, here, depth, true);
                case "anyOf", "oneOf", "allOf", "prefixItems" -> list(root, v, here, depth);
                case "items" -> check(root, v, here, depth + 1);
                case "additionalProperties" -> v.isBoolean() ? null : check(root, v, here, depth + 1);
                case "required" -> strings(v, here);
                case "enum" -> v.isArray() && !v.isEmpty() ? null : here + " must be a non-empty list of values";
                case "format" -> FORMATS.contains(v.asText()) ? null : here + " must be one of " + FORMATS;
                case "pattern" -> pattern(v, here);
                case "$ref" -> ref(root, v, here);
                default -> COUNTS.contains(key) ? (v.canConvertToInt() && v.asInt() >= 0 ? null
                        : here + " must be a whole number, 0 or more")
                        : BOUNDS.contains(key) && !v.isNumber() ? here + " must be a number" : null;
            };
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String type(JsonNode v, String at) {
        if (v.isTextual()) {
            return TYPES.contains(v.textValue()) ? null : at + " must be one of " + TYPES + ", not '" + v.textValue() + "'";
        }
        if (v.isArray() && !v.isEmpty()) {
            for (JsonNode t : v) {
                if (!t.isTextual() || !TYPES.contains(t.textValue())) {
                    return at + " must list types among " + TYPES;
                }
            }
            return null;
        }
        return at + " must be a type name such as \"string\", or a list of them";
    }

    private static String children(JsonNode root, JsonNode v, String at, int depth, boolean named) {
        if (!v.isObject()) {
            return at + " must be an object of schemas";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String problem = check(root, e.getValue(), at + "/" + e.getKey(), depth + 1);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String list(JsonNode root, JsonNode v, String at, int depth) {
        if (!v.isArray() || v.isEmpty()) {
            return at + " must be a non-empty list of schemas";
        }
        for (int i = 0; i < v.size(); i++) {
            String problem = check(root, v.get(i), at + "/" + i, depth + 1);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String strings(JsonNode v, String at) {
        if (!v.isArray()) {
            return at + " must be a list of property names";
        }
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                return at + " must be a list of property names";
            }
        }
        return null;
    }

    private static String pattern(JsonNode v, String at) {
        String p = v.asText("");
        if (!v.isTextual() || !p.startsWith("^") || !p.endsWith("$") || p.contains("(?") || p.matches(".*\\\\[1-9].*")) {
            return at + " must be a regular expression anchored with ^ and $, without look-arounds or back-references";
        }
        return null;
    }

    /** Only references inside the schema ({@code #/$defs/name}), which must lead somewhere. */
    private static String ref(JsonNode root, JsonNode v, String at) {
        String ref = v.asText("");
        if (!v.isTextual() || !ref.startsWith("#/")) {
            return at + " must point inside the schema, such as \"#/$defs/name\"";
        }
        JsonNode target = root.at(ref.substring(1));
        return target.isMissingNode() || !target.isObject() ? at + ": '" + ref + "' leads nowhere in the schema" : null;
    }
}
