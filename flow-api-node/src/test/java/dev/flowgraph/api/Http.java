package dev.flowgraph.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Small helpers over the JDK's HTTP client for the end-to-end tests. */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static String body(String userText) {
        return "{\"message\":[{\"role\":\"user\",\"content\":\"" + userText + "\"}]}";
    }

    static HttpRequest.Builder post(String url, String key, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return b;
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON payloads of the SSE {@code data:} lines, in order. */
    static List<String> events(String body) {
        return body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    }

    /** The text a {@code /prompt} stream carries for {@code userText}: its chunks' content, joined. */
    static String streamedText(String promptUrl, String userText) throws Exception {
        HttpResponse<String> answer = send(post(promptUrl, StoryServer.KEY, body(userText)).build());
        if (answer.statusCode() != 200) {
            throw new AssertionError(answer.statusCode() + " " + answer.body());
        }
        StringBuilder text = new StringBuilder();
        for (String event : events(answer.body())) {
            if (event.startsWith("{")) {
                com.fasterxml.jackson.databind.JsonNode chunk = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(event);
                if (chunk.has("error")) {
                    throw new AssertionError("the stream failed: " + event);
                }
                text.append(chunk.path("choices").path(0).path("message").path("content").asText(""));
            }
        }
        if (text.isEmpty()) {
            throw new AssertionError("no text in the stream: " + answer.body());
        }
        return text.toString();
    }
}
