package dev.flowgraph.nodes.structured;

import de.kherud.llama.LlamaModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schemas GrammarSchema lets through are ones llama.cpp's converter reads (a wrong guess would end this test's
 * process, not fail it quietly); the ones it refuses say where.
 */
class GrammarSchemaTest {

    @Test
    void acceptedSchemasBecomeGrammars() {
        for (String schema : List.of(
                "{\"type\":\"object\"}",
                "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\",\"maxLength\":40},"
                        + "\"mood\":{\"enum\":[\"happy\",\"sad\"]}},\"required\":[\"title\",\"mood\"]}",
                "{\"enum\":[\"question\",\"story\"]}",
                "{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},\"minItems\":1,\"maxItems\":3}",
                "{\"type\":\"object\",\"properties\":{\"when\":{\"type\":\"string\",\"format\":\"date\"},"
                        + "\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"}},\"additionalProperties\":false}",
                "{\"$defs\":{\"p\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"number\"}}}},"
                        + "\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/p\"},\"b\":{\"anyOf\":"
                        + "[{\"type\":\"null\"},{\"type\":\"boolean\"}]}}}")) {
            assertThat(GrammarSchema.problem(schema)).as(schema).isNull();
            assertThat(LlamaModel.jsonSchemaToGrammar(schema)).as(schema).contains("root ::=");
        }
    }

    @Test
    void unreadableSchemasAreRefusedSayingWhere() {
        assertThat(GrammarSchema.problem("{\"type\":12}")).contains("#/type");
        assertThat(GrammarSchema.problem("{\"properties\":{\"a\":{\"type\":\"strin\"}}}"))
                .contains("#/properties/a/type", "strin");
        assertThat(GrammarSchema.problem("{\"$ref\":\"https://example.com/s.json\"}")).contains("#/$ref");
        assertThat(GrammarSchema.problem("{\"$ref\":\"#/$defs/missing\"}")).contains("leads nowhere");
        assertThat(GrammarSchema.problem("{\"type\":\"string\",\"pattern\":\"a+\"}")).contains("anchored");
        assertThat(GrammarSchema.problem("{\"not\":{\"type\":\"string\"}}")).contains("'not' is not supported");
        assertThat(GrammarSchema.problem("[1]")).contains("is an object");
        assertThat(GrammarSchema.problem("{")).contains("not JSON");
    }
}
