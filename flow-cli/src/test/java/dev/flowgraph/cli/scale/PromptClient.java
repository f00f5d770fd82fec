package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A client of {@code POST /prompt} that records what a user would look at: status, events and when each came. */
final class PromptClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * One answer.
     *
     * @param status       the HTTP status
     * @param retryAfter   the Retry-After header, or null
     * @param contentType  the Content-Type header
     * @param body         the whole body of a non-200 answer
     * @param pieces       the content of each event that had some, in order
     * @param arrivals     when each of those arrived (System.nanoTime)
     * @param headersAt    when the status line and headers arrived
     * @param finish       the last event's finish_reason, or null
     * @param tokens       usage.completion_tokens of the last event, or -1
     * @param error        the message of an error event, or null
     * @param done         whether {@code data: [DONE]} came
     * @param cut          what broke the stream off (the connection), or null
     * @param promptTokens usage.prompt_tokens of the last event, or -1
     */
    record Answer(int status, String retryAfter, String contentType, String body, List<String> pieces,
                  List<Long> arrivals, long startedAt, long headersAt, long endedAt, String finish, int tokens,
                  String error, boolean done, String cut, int promptTokens) {

        boolean complete() {
            return status == 200 && done && error == null && cut == null;
        }

        String text() {
            return String.join("", pieces);
        }

        @Override
        public String toString() {
            return "Answer[status=" + status + ", pieces=" + pieces.size() + ", finish=" + finish + ", tokens=" + tokens
                    + ", error=" + error + ", done=" + done + ", cut=" + cut + ", body=" + body + "]";
        }
    }

    private PromptClient() {
    }

    /** A health answer: the status code a load balancer reads, and the body; status -1 when nothing answered. */
    record Health(int status, JsonNode body) {
        String state() {
            return body.path("status").asText();
        }
    }

    /** An answer of one of the API's JSON routes: its status and body. */
    record Json(int status, JsonNode body) {
    }

    /** {@code method path} with the key (GET /runs, DELETE /sessions/x, ...), the answer's JSON whatever its status. */
    static Json call(String baseUrl, String method, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("X-API-Key", ServeInstance.KEY).timeout(Duration.ofSeconds(10))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            return new Json(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /health} of an instance, whatever its status code; an empty object when it does not answer. */
    static JsonNode health(String baseUrl) {
        return healthCheck(baseUrl).body();
    }

    /** {@code GET /health} with its status code. */
    static Health healthCheck(String baseUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Health(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            return new Health(-1, JSON.createObjectNode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Answer ask(String baseUrl, String text) {
        return ask(baseUrl, text, null);
    }

    /** Sends one request and reads the whole answer; {@code started} (if given) is counted down at the first piece. */
    static Answer ask(String baseUrl, String text, CountDownLatch started) {
        var body = JSON.createObjectNode();
        body.putArray("message").addObject().put("role", "user").put("content", text);
        return ask(baseUrl, body, started);
    }

    /** One turn of a conversation: {@code text} as the user's message with {@code "session_id": session}. */
    static Answer say(String baseUrl, String session, String text) {
        var body = JSON.createObjectNode();
        body.putArray("message").addObject().put("role", "user").put("content", text);
        body.put("session_id", session);
        return ask(baseUrl, body, null);
    }

    /** Sends {@code body} to {@code POST /prompt} and reads the whole answer. */
    static Answer ask(String baseUrl, com.fasterxml.jackson.databind.node.ObjectNode body, CountDownLatch started) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/prompt"))
                .header("Content-Type", "application/json").header("X-API-Key", ServeInstance.KEY)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        long startedAt = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return new Answer(-1, null, null, null, List.of(), List.of(), startedAt, -1, System.nanoTime(), null, -1,
                    null, false, "no answer: " + e, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long headersAt = System.nanoTime();
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() != 200) {
            String text2;
            try (InputStream in = response.body()) {
                text2 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text2 = "(unreadable: " + e + ")";
            }
            return new Answer(response.statusCode(), retryAfter, type, text2, List.of(), List.of(), startedAt,
                    headersAt, System.nanoTime(), null, -1, null, false, null, -1);
        }
        List<String> pieces = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        String finish = null;
        String error = null;
        int tokens = -1;
        int promptTokens = -1;
        boolean done = false;
        String cut = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.equals("data: [DONE]")) {
                    done = true;
                    continue;
                }
                if (!line.startsWith("data: ")) {
                    continue;
                }
                JsonNode event = JSON.readTree(line.substring(6));
                JsonNode choice = event.path("choices").path(0);
                String content = choice.path("message").path("content").asText();
                if (!content.isEmpty()) {
                    pieces.add(content);
                    arrivals.add(System.nanoTime());
                    if (started != null && pieces.size() == 1) {
                        started.countDown();
                    }
                }
                if (choice.path("finish_reason").isTextual()) {
                    finish = choice.path("finish_reason").asText();
                    tokens = event.path("usage").path("completion_tokens").asInt(-1);
                    promptTokens = event.path("usage").path("prompt_tokens").asInt(-1);
                }
                if (event.has("error")) {
                    error = event.path("error").path("message").asText();
                }
            }
        } catch (IOException e) {
            cut = e.toString();
        }
        if (!done && cut == null) {
            cut = "the stream ended without [DONE]";
        }
        return new Answer(200, retryAfter, type, null, pieces, arrivals, startedAt, headersAt, System.nanoTime(),
                finish, tokens, error, done, cut, promptTokens);
    }
}
