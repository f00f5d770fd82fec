package dev.flowgraph.api.openai;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.GenerationOptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiRequestParserTest {

    private static OpenAiRequest parse(String json) throws Exception {
        return OpenAiRequestParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everySamplingParameterMapsToTheRunsOptions() throws Exception {
        OpenAiRequest r = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"developer\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Once \"},{\"type\":\"text\",\"text\":\"upon\"}]}],"
                + "\"max_tokens\":9,\"temperature\":0.5,\"top_p\":0.9,\"stop\":\"END\",\"seed\":77,"
                + "\"presence_penalty\":-1,\"frequency_penalty\":1.5,\"n\":1,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}");
        assertThat(r.model()).isEqualTo("m");
        assertThat(r.stream()).isTrue();
        assertThat(r.includeUsage()).isTrue();
        assertThat(r.chat().messages()).containsExactly(ChatMessage.system("be brief"), ChatMessage.user("Once upon"));
        assertThat(r.chat().options()).isEqualTo(new GenerationOptions(9, 0.5, 0.9, List.of("END"), 77L, -1.0, 1.5));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokensAndAbsentParametersStayUnset() throws Exception {
        OpenAiRequest r = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"max_tokens\":9,\"max_completion_tokens\":4}");
        assertThat(r.chat().options().maxTokens()).isEqualTo(4);
        assertThat(r.stream()).isFalse();
        OpenAiRequest plain = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(plain.chat().options().isEmpty()).isTrue();
    }
}
