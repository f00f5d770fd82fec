package dev.flowgraph.nodes.structured;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.flowgraph.core.chat.ResponseFormat;
import dev.flowgraph.core.value.Values;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a structured answer must be, checked when it ends: JSON (an object for {@code json_object}) that matches the
 * schema. A model that ran out of tokens, or an answer that does not match, is a failure that says which and where
 * (the schema path), never a half-object passed on.
 */
public final class JsonAnswer {
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    /** Compiled schemas by their text: a request's schema is compiled once however often it comes. */
    private static final Map<String, JsonAnswer> COMPILED = new ConcurrentHashMap<>();
    private static final String ANY_OBJECT = "{\"type\":\"object\"}";

    private final ResponseFormat format;
    private final Schema schema;

    private JsonAnswer(ResponseFormat format, Schema schema) {
        this.format = format;
        this.schema = schema;
    }

    /**
     * @throws IllegalArgumentException when the schema is not JSON or not a schema (the message says why)
     */
    public static JsonAnswer of(ResponseFormat format) {
        if (!format.isJson()) {
            throw new IllegalArgumentException("a text answer has no JSON to check");
        }
        String text = format.kind() == ResponseFormat.Kind.JSON_SCHEMA ? format.schema() : ANY_OBJECT;
        return COMPILED.computeIfAbsent(text, t -> new JsonAnswer(format, compile(t)));
    }

    /** Why {@code schemaText} cannot be used, or null when it can. */
    public static String problem(String schemaText) {
        try {
            compile(schemaText);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static Schema compile(String schemaText) {
        JsonNode parsed;
        try {
            parsed = Values.JSON.readTree(schemaText);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the JSON schema is not JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !(parsed.isObject() || parsed.isBoolean())) {
            throw new IllegalArgumentException("a JSON schema is an object, such as {\"type\":\"object\"}");
        }
        try {
            return SCHEMAS.getSchema(schemaText, InputFormat.JSON);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the JSON schema cannot be used: " + e.getMessage());
        }
    }

    /** The schema the answer is generated under (what a grammar is made from): {@code {"type":"object"}} for json_object. */
    public String schemaText() {
        return format.kind() == ResponseFormat.Kind.JSON_SCHEMA ? format.schema() : ANY_OBJECT;
    }

    /**
     * The answer's value, once it has ended.
     *
     * @param cutAtLimit whether generation stopped at the token limit
     * @param maxTokens  that limit, for the message
     * @throws InvalidAnswer saying what is wrong: cut short, not JSON, or where it does not match the schema
     */
    public JsonNode check(String answer, boolean cutAtLimit, int maxTokens) throws InvalidAnswer {
        JsonNode value;
        try {
            value = Values.JSON.readTree(answer);
        } catch (JsonProcessingException e) {
            throw new InvalidAnswer(cutAtLimit
                    ? "the answer was cut at maxTokens (" + maxTokens + ") before its JSON was complete; raise maxTokens"
                    : "the answer is not JSON: " + e.getOriginalMessage());
        }
        if (value == null) {
            throw new InvalidAnswer(cutAtLimit ? "the answer was cut at maxTokens (" + maxTokens + ") before any JSON"
                    : "the answer is empty, not JSON");
        }
        String mismatch = mismatch(answer);
        if (mismatch != null) {
            throw new InvalidAnswer("the answer does not match the schema at " + mismatch);
        }
        return value;
    }

    /**
     * Where JSON text {@code json} does not match the schema, such as
     * {@code "#/properties/mood/enum: $.mood: does not have a value in the enumeration [happy, sad]"}; null when it does.
     */
    public String mismatch(String json) {
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        if (errors.isEmpty()) {
            return null;
        }
        Error first = errors.get(0);
        return first.getSchemaLocation() + ": " + first.getMessage()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
    }

    /** A structured answer that is not what it must be. */
    public static final class InvalidAnswer extends Exception {
        public InvalidAnswer(String message) {
            super(message);
        }
    }
}
