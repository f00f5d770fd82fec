package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The running LocalLab node: one {@code /chat} or {@code /generate} call per run, retried while rate limited. */
final class LocalLabNode extends RemoteChatNode {
    private static final Logger log = LoggerFactory.getLogger(LocalLabNode.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final boolean chatEndpoint;
    private final int retries;
    private final LocalLabWire.Quality quality;

    LocalLabNode(NodeContext context) {
        super(context, "LocalLab at " + trimmed(context.settings().string("baseUrl")));
        NodeSettings s = context.settings();
        this.chatEndpoint = s.string("endpoint").equals("chat");
        this.endpoint = URI.create(trimmed(s.string("baseUrl")) + (chatEndpoint ? "/chat" : "/generate"));
        this.retries = s.integer("retries");
        this.quality = new LocalLabWire.Quality(s.string("modelId").strip(), s.bool("stream"), s.integer("maxLength"),
                s.number("temperature"), s.number("topP"), s.integer("topK"), s.number("repetitionPenalty"),
                s.bool("doSample"));
    }

    @Override
    protected void answer(RemoteHttp.Call call, ChatRequest request, AnswerStream answer) throws RemoteCallException {
        String body = chatEndpoint ? LocalLabWire.chatBody(request, quality) : LocalLabWire.generateBody(request, quality);
        HttpResponse<InputStream> response = send(call, body);
        if (!response.headers().firstValue("Content-Type").orElse("").contains("event-stream")) {
            answer.piece(LocalLabWire.body(http.service(), call.text(response)));
            answer.end();
            return;
        }
        SseEventReader events = new SseEventReader();
        boolean[] done = {false};
        call.lines(response, line -> {
            String data = events.line(line);
            if (data != null) {
                done[0] = data.equals(LocalLabWire.DONE);
                if (!done[0]) {
                    answer.text(LocalLabWire.streamedText(http.service(), data));
                }
            }
            return !done[0];
        });
        String unfinished = events.end(); // a last event the server did not close with a blank line
        if (LocalLabWire.DONE.equals(unfinished)) {
            done[0] = true;
        } else if (unfinished != null) {
            answer.text(LocalLabWire.streamedText(http.service(), unfinished));
        }
        if (!done[0]) {
            throw new RemoteCallException(http.service() + " closed its stream without 'data: [DONE]'; "
                    + "the answer may be cut short");
        }
        answer.end();
    }

    /** Posts the body, waiting out rate limits (HTTP 429) up to the set number of retries. */
    private HttpResponse<InputStream> send(RemoteHttp.Call call, String body) throws RemoteCallException {
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder post = request(endpoint, quality.stream() ? "text/event-stream" : "application/json")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<InputStream> response = call.send(post);
            if (response.statusCode() == 429 && attempt < retries) {
                Duration wait = retryAfter(response).orElse(FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt, 6)));
                wait = wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
                call.discard(response);
                log.info("{} is rate limiting (HTTP 429); retry {} of {} in {} ms", http.service(), attempt + 1,
                        retries, wait.toMillis());
                call.pause(wait);
                continue;
            }
            if (response.statusCode() >= 400) {
                RemoteCallException error = call.statusError(response);
                if (response.statusCode() == 429) {
                    throw new RemoteCallException(error.getMessage() + " (still rate limited after " + retries
                            + (retries == 1 ? " retry)" : " retries)"));
                }
                throw error;
            }
            return response;
        }
    }

    /** Retry-After in seconds, when the server sent one (its HTTP-date form is rare; then we back off as usual). */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        try {
            long seconds = Long.parseLong(response.headers().firstValue("Retry-After").orElse("").strip());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
