package dev.flowgraph.nodes.structured;

import dev.flowgraph.core.chat.ResponseFormat;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.SettingSpec;

import java.util.List;

/** The structured-answer settings the model nodes share ({@code responseFormat}, {@code jsonSchema}), read one way. */
public final class StructuredSettings {
    public static final String RESPONSE_FORMAT = "responseFormat";
    public static final String JSON_SCHEMA = "jsonSchema";
    public static final PortSpec JSON_OUT = PortSpec.output("json", DataType.JSON,
            "The answer's value, once it has ended and matched the format");

    private StructuredSettings() {
    }

    /** The {@code responseFormat} setting; {@code how} says how this node holds the model to it. */
    public static SettingSpec responseFormat(String how) {
        return SettingSpec.choice(RESPONSE_FORMAT, "text", "text", "json_object", "json_schema")
                .help("text: free text. json_object: any JSON object. json_schema: JSON matching jsonSchema. " + how
                        + " The text still streams; when it ends the value is checked against the schema and sent on "
                        + "the json output. An answer cut by maxTokens, or one that does not match, fails the run "
                        + "saying which (and where in the schema).");
    }

    public static SettingSpec jsonSchema() {
        return SettingSpec.text(JSON_SCHEMA, "")
                .help("The JSON Schema the answer must match, for responseFormat json_schema, such as "
                        + "{\"type\":\"object\",\"properties\":{\"mood\":{\"enum\":[\"happy\",\"sad\"]}},"
                        + "\"required\":[\"mood\"]}.");
    }

    /** A model node's ports: its chat input, its text output, and a json output when its format is JSON. */
    public static NodePorts ports(NodeSettings settings, PortSpec chatIn, PortSpec textOut) {
        return new NodePorts(List.of(chatIn), format(settings).isJson() ? List.of(textOut, JSON_OUT) : List.of(textOut));
    }

    /** The node's response format (text when the settings do not make sense: the check reports those). */
    public static ResponseFormat format(NodeSettings settings) {
        return switch (settings.string(RESPONSE_FORMAT)) {
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> settings.string(JSON_SCHEMA).isBlank() ? ResponseFormat.JSON_OBJECT
                    : ResponseFormat.jsonSchema(settings.string(JSON_SCHEMA));
            default -> ResponseFormat.TEXT;
        };
    }

    public static List<SettingProblem> problems(NodeSettings settings) {
        return problems(settings, schema -> null);
    }

    /** The problems of the settings, and of the schema as {@code alsoCheck} (null: none) reads it. */
    public static List<SettingProblem> problems(NodeSettings settings,
                                                java.util.function.Function<String, String> alsoCheck) {
        if (!settings.string(RESPONSE_FORMAT).equals("json_schema")) {
            return List.of();
        }
        String schema = settings.string(JSON_SCHEMA);
        if (schema.isBlank()) {
            return List.of(new SettingProblem(JSON_SCHEMA, "is required for responseFormat json_schema"));
        }
        String problem = JsonAnswer.problem(schema);
        if (problem == null) {
            problem = alsoCheck.apply(schema);
        }
        return problem == null ? List.of() : List.of(new SettingProblem(JSON_SCHEMA, problem));
    }
}
