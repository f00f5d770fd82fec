package dev.flowgraph.api.http;

import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.GenerationOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The instance's own warm-up. Right after a start the JVM still interprets the request and token paths, and the
 * first clients wait longer for their first token than later ones. So before the instance reports ready, it sends
 * itself requests over loopback, through the same handlers, admission, flow and model as a client's (both dialects,
 * streamed and whole, health and models), for a bounded time. Meanwhile {@code /health} says {@code warming} (503)
 * and clients get 503 {@code flow_not_running} with Retry-After; warm-up requests carry a secret of this process
 * and run as internal runs: never recorded, shown or counted, logged only at DEBUG.
 */
final class WarmUp {
    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    static final HttpString HEADER = new HttpString("X-Flowgraph-Warmup");
    private static final String PROMPT = "Once upon a time,";
    static final int TOKENS = 8;
    private static final int ANSWER_GRACE_MILLIS = 10_000;

    private final String secret;
    private volatile boolean warming;
    private volatile long deadlineNanos;

    /** @param willRun whether a warm-up will run (then the server is not ready until it has) */
    WarmUp(boolean willRun) {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        secret = HexFormat.of().formatHex(bytes);
        warming = willRun;
    }

    /** True from the server's start until its warm-up is over. */
    boolean isWarming() {
        return warming;
    }

    /**
     * Whether {@code exchange} is one of the warm-up's own requests. Not tied to {@link #isWarming()}: one the server
     * reads only after the warm-up is over still runs as internal, with no time left, and never passes for a client's.
     */
    boolean isOwn(HttpServerExchange exchange) {
        return secret.equals(exchange.getRequestHeaders().getFirst(HEADER));
    }

    /**
     * A warm-up request as it runs: at most {@link #TOKENS} tokens, so that the short warm-up gives many requests.
     * Measured (WarmStartBenchmark, 3 rounds, quick JIT, 0.4 s): answers of 8 tokens left the first 50 client
     * requests 15 % faster than answers of 128; with the full JIT and 2 s it had been the other way round.
     */
    ChatRequest shortened(ChatRequest request) {
        GenerationOptions o = request.options();
        int tokens = o.maxTokens() == null ? TOKENS : Math.min(o.maxTokens(), TOKENS);
        return request.withOptions(o.withMaxTokens(tokens));
    }

    /** What is left of the warm-up's time: the most a warm-up run may take. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime()));
    }

    /**
     * Sends requests to the server at {@code host:port} until {@code budget} is spent, the flow answers with an error
     * (a remote service it does not call for a warm-up, say) or the server starts draining; then waits for the last
     * warm-up run to give its slot back and declares the server ready.
     */
    void run(String host, int port, ServerConfig config, Admission admission) {
        long started = System.nanoTime();
        deadlineNanos = started + config.warmUp().toNanos();
        int requests = 0;
        String stopped = "its time was up";
        Map<String, String> headers = Map.of("X-API-Key", config.keys().anyKey(), HEADER.toString(), secret);
        String model = JsonText.quote(new StringBuilder(), config.flowName()).toString();
        String user = "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]";
        List<Call> calls = List.of(
                new Call("POST", "/prompt", "{\"message\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}"),
                new Call("POST", "/v1/chat/completions", "{\"model\":" + model + ",\"stream\":true,\"max_tokens\":"
                        + TOKENS + "," + user + "}"),
                new Call("POST", "/v1/chat/completions", "{\"model\":" + model + ",\"max_tokens\":" + TOKENS + ","
                        + user + "}"),
                new Call("GET", "/v1/models", null),
                new Call("GET", "/health", null));
        try (LoopbackClient client = new LoopbackClient(host, port, millisLeft())) {
            outer:
            while (true) {
                for (Call call : calls) {
                    if (requests > 0 && System.nanoTime() >= deadlineNanos) { // one at least, however slow the start
                        break outer;
                    }
                    if (admission.isClosed()) {
                        stopped = "the server is draining";
                        break outer;
                    }
                    // The server ends a warm-up answer at the deadline itself (its run's limit); the grace lets
                    // that ending arrive, so that no request of ours is still unread when the server is ready.
                    client.timeout(millisLeft() + ANSWER_GRACE_MILLIS);
                    LoopbackClient.Answer answer = client.send(call.method(), call.path(), headers, call.json());
                    requests++;
                    if (System.nanoTime() >= deadlineNanos) {
                        break outer; // the answer may have been cut by the warm-up's own deadline
                    }
                    if (answer.status() != 200 && !call.path().equals("/health")
                            || answer.body().contains("\"finish_reason\":\"error\"")) {
                        stopped = "the flow answered " + call.path() + " with " + answer.status() + ": "
                                + abbreviate(answer.body());
                        break outer;
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            stopped = "an answer did not end at the deadline";
        } catch (IOException | RuntimeException e) {
            stopped = "a warm-up request failed: " + e;
        }
        // The last warm-up run gives its slot back just after its client has read the end.
        try {
            admission.awaitIdle(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        warming = false;
        log.info("warm-up: {} requests in {} ms ({}); ready", requests, (System.nanoTime() - started) / 1_000_000,
                stopped);
    }

    private int millisLeft() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadlineNanos - System.nanoTime()) / 1_000_000));
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }

    private record Call(String method, String path, String json) {
    }
}
