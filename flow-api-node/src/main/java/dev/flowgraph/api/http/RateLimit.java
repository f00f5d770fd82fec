package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests per key: a token bucket per key name ({@code "60 per minute, burst 10"}); a request that finds its
 * bucket empty is answered 429 with {@code Retry-After} (the seconds until a token is back). The server's own warm-up
 * is not counted.
 */
public final class RateLimit implements HttpHandler {
    /** What a rate limit looks like: {@code 60 per minute, burst 10}, {@code 5/second}. */
    public static final String FORMAT = "\\s*(\\d+)\\s*(?:/|per)\\s*(second|minute|hour)\\s*(?:,\\s*burst\\s*(\\d+)\\s*)?";
    private static final Pattern SYNTAX = Pattern.compile(FORMAT);

    private final double perSecond;
    private final double burst;
    private final String text;
    private final WarmUp warmUp;
    private final HttpHandler next;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** A key's bucket: tokens refill continuously up to the burst. */
    private final class Bucket {
        private double tokens = burst;
        private long updated = System.nanoTime();

        /** Takes a token; returns 0 when it got one, else the seconds until one is back. */
        synchronized long take() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - updated) / 1e9 * perSecond);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }

    /** @param limit such as {@code "60 per minute, burst 10"} (see {@link #SYNTAX}) */
    RateLimit(String limit, WarmUp warmUp, HttpHandler next) {
        Matcher m = SYNTAX.matcher(limit);
        if (!m.matches()) {
            throw new IllegalArgumentException("rateLimit '" + limit + "' is not like '60 per minute, burst 10'");
        }
        int count = Integer.parseInt(m.group(1));
        double seconds = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "second" -> 1;
            case "minute" -> 60;
            default -> 3600;
        };
        this.perSecond = count / seconds;
        this.burst = m.group(3) != null ? Integer.parseInt(m.group(3)) : Math.max(1, count);
        this.text = limit.strip();
        this.warmUp = warmUp;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!warmUp.isOwn(exchange)) {
            String key = exchange.getAttachment(ApiKeyCheck.KEY_NAME);
            long wait = buckets.computeIfAbsent(key == null ? "" : key, k -> new Bucket()).take();
            if (wait > 0) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(wait));
                ApiErrors.send(exchange, 429, ApiErrors.RATE_LIMITED, "rate limit of key '" + key + "' reached ("
                        + text + "); retry after " + wait + " s");
                return;
            }
        }
        next.handleRequest(exchange);
    }
}
