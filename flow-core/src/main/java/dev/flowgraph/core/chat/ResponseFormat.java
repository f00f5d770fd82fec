package dev.flowgraph.core.chat;

import java.util.Locale;

/**
 * The shape a model's answer must have: free text, any JSON object, or JSON matching a schema (OpenAI's
 * {@code response_format}; a Local LLM enforces it with a grammar while it generates).
 *
 * @param schema the JSON Schema, as JSON text, for {@link Kind#JSON_SCHEMA}; else null
 */
public record ResponseFormat(Kind kind, String schema) {
    public static final ResponseFormat TEXT = new ResponseFormat(Kind.TEXT, null);
    public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Kind.JSON_OBJECT, null);

    public enum Kind {
        TEXT, JSON_OBJECT, JSON_SCHEMA;

        /** {@code text}, {@code json_object}, {@code json_schema}: the setting's and OpenAI's names. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ResponseFormat {
        if ((kind == Kind.JSON_SCHEMA) != (schema != null)) {
            throw new IllegalArgumentException("a schema goes with json_schema, and only with it");
        }
    }

    public static ResponseFormat jsonSchema(String schema) {
        return new ResponseFormat(Kind.JSON_SCHEMA, schema);
    }

    public boolean isJson() {
        return kind != Kind.TEXT;
    }
}
