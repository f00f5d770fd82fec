package dev.flowgraph.nodes.structured;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.nodes.llm.LocalLlm;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.flowgraph.nodes.remote.RemoteFlows.ask;
import static dev.flowgraph.nodes.remote.RemoteFlows.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** The Local LLM held to a schema by llama.cpp's grammar, with the real model: its json output, and a cut answer. */
class LocalStructuredAnswerTest {
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":20},"
            + "\"age\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":9}},\"required\":[\"name\",\"age\"]}";

    @Test
    void theJsonOutputCarriesTheCheckedValue() throws Exception {
        try (FlowRuntime runtime = dev.flowgraph.nodes.remote.RemoteFlows.start(new LocalLlm(), Map.of(
                "modelPath", TestModels.stories().toString(), "threads", 1, "maxTokens", 96,
                "responseFormat", "json_schema", "jsonSchema", SCHEMA), "json")) {
            for (int i = 0; i < 10; i++) {
                List<Packet> packets = ask(runtime, "Once upon a time");
                assertThat(packets).as(packets.toString()).hasSize(2);
                JsonNode value = (JsonNode) ((Packet.Delta) packets.get(0)).value();
                assertThat(value.path("name").isTextual()).as(value.toString()).isTrue();
                assertThat(value.path("name").asText().length()).isLessThanOrEqualTo(20);
                assertThat(value.path("age").asInt()).as(value.toString()).isBetween(1, 9);
                assertThat(packets.get(1)).isInstanceOf(Packet.End.class);
            }
        }
    }

    @Test
    void anAnswerCutByMaxTokensFailsTheRunSayingSo() throws Exception {
        try (FlowRuntime runtime = dev.flowgraph.nodes.remote.RemoteFlows.start(new LocalLlm(), Map.of(
                "modelPath", TestModels.stories().toString(), "threads", 1, "maxTokens", 5,
                "responseFormat", "json_schema", "jsonSchema", SCHEMA))) {
            assertThat(failure(ask(runtime, "Once upon a time")).message())
                    .isEqualTo("the answer was cut at maxTokens (5) before its JSON was complete; raise maxTokens");
        }
    }
}
