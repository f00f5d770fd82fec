package dev.flowgraph.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal: the right status, a JSON error body naming the problem, and the server serving on after it. */
class ApiErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static StoryServer server;

    @BeforeAll
    static void start() throws Exception {
        server = StoryServer.start(Map.of("llm.maxTokens", 8, "api.maxBodyBytes", 2000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode expectError(HttpResponse<String> r, int status, String type) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("message").asText()).isNotBlank();
        return error;
    }

    private static HttpResponse<String> post(String json) throws Exception {
        return Http.send(Http.post(server.prompt(), StoryServer.KEY, json).build());
    }

    @Test
    void badBodiesAre400AndNameTheField() throws Exception {
        record Case(String body, String param, String says) {
        }
        for (Case c : new Case[]{
                new Case("{not json", null, "not valid JSON"),
                new Case("[1,2]", null, "JSON object"),
                new Case("{}", "message", "required"),
                new Case("{\"message\":\"hi\"}", "message", "array"),
                new Case("{\"message\":[]}", "message", "at least one"),
                new Case("{\"message\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "message[0].role", "robot"),
                new Case("{\"message\":[{\"role\":\"user\",\"content\":\"a\"},{\"content\":\"b\"}]}", "message[1].role", "required"),
                new Case("{\"message\":[{\"role\":\"user\",\"content\":42}]}", "message[0].content", "must be a string"),
                new Case("{\"message\":[{\"role\":\"user\"}]}", "message[0].content", "missing")}) {
            JsonNode error = expectError(post(c.body()), 400, "invalid_request_error");
            assertThat(error.path("param").isMissingNode() ? null : error.get("param").asText()).as(c.body()).isEqualTo(c.param());
            assertThat(error.get("message").asText()).as(c.body()).contains(c.says());
        }
        assertThat(post(Http.body("Once upon a time,")).statusCode()).isEqualTo(200);
    }

    @Test
    void missingOrWrongKeyIs401AndTheKeyNeverReachesTheLog() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        ch.qos.logback.classic.Level before = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.ALL);
        try {
            expectError(Http.send(Http.post(server.prompt(), null, Http.body("hi")).build()), 401, "authentication_error");
            String wrongKey = "WrongKey9876";
            JsonNode error = expectError(Http.send(Http.post(server.prompt(), wrongKey, Http.body("hi")).build()),
                    401, "authentication_error");
            assertThat(error.get("param").asText()).isEqualTo("X-API-Key");
            assertThat(post(Http.body("Once upon a time,")).statusCode()).isEqualTo(200);
            List<ILoggingEvent> logged;
            synchronized (logs) { // the appender appends under this lock; the server may still be logging
                logged = new ArrayList<>(logs.list);
            }
            assertThat(logged).isNotEmpty();
            assertThat(logged).extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(m -> m.contains(wrongKey) || m.contains(StoryServer.KEY));
        } finally {
            root.setLevel(before);
            root.detachAppender(logs);
        }
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() throws Exception {
        expectError(Http.send(Http.post(server.url + "/nothing", StoryServer.KEY, Http.body("hi")).build()), 404, "not_found_error");
        HttpResponse<String> get = Http.send(HttpRequest.newBuilder(URI.create(server.prompt())).GET().build());
        expectError(get, 405, "method_not_allowed");
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void anOversizedBodyIs413WithOrWithoutContentLength() throws Exception {
        String big = Http.body("x".repeat(5000));
        expectError(post(big), 413, "request_too_large");
        // Chunked upload: no Content-Length, cut off once past the limit.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.prompt()))
                .header("Content-Type", "application/json").header("X-API-Key", StoryServer.KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build();
        expectError(Http.send(chunked), 413, "request_too_large");
        assertThat(post(Http.body("Once upon a time,")).statusCode()).isEqualTo(200);
    }

    @Test
    void startingWithoutAKeyIsRefusedWithAClearMessage() throws Exception {
        var noKey = StoryServer.flow(Map.of()).withSetting("api", "apiKey", "");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoryServer.startFlow(noKey))
                .isInstanceOf(dev.flowgraph.core.run.FlowStartException.class)
                .hasMessageContaining("apiKey").hasMessageContaining("required");
        var notAlphanumeric = StoryServer.flow(Map.of()).withSetting("api", "apiKey", "no spaces!");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoryServer.startFlow(notAlphanumeric))
                .isInstanceOf(dev.flowgraph.core.run.FlowStartException.class)
                .hasMessageContaining("apiKey").hasMessageNotContaining("no spaces!");
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        HttpRequest text = HttpRequest.newBuilder(URI.create(server.prompt()))
                .header("Content-Type", "text/plain").header("X-API-Key", StoryServer.KEY)
                .POST(HttpRequest.BodyPublishers.ofString("Once upon a time")).build();
        JsonNode error = expectError(Http.send(text), 415, "unsupported_media_type");
        assertThat(error.get("param").asText()).isEqualTo("Content-Type");
    }
}
