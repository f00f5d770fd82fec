package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} in Prometheus' text format. Without a metrics key only callers on this machine (loopback) may
 * read it; with one, any caller that sends it ({@code Authorization: Bearer} or {@code X-API-Key}).
 */
final class MetricsRoute implements HttpHandler {
    private final ServerMetrics metrics;
    private final String metricsKey;

    MetricsRoute(ServerMetrics metrics, String metricsKey) {
        this.metrics = metrics;
        this.metricsKey = metricsKey;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (metricsKey.isEmpty()) {
            InetSocketAddress from = exchange.getSourceAddress();
            if (from == null || !from.getAddress().isLoopbackAddress()) {
                ApiErrors.send(exchange, 403, ApiErrors.FORBIDDEN, "/metrics is served to this machine only; set the "
                        + "API element's metricsKey to read it from elsewhere");
                return;
            }
        } else if (!keyGiven(exchange)) {
            ApiErrors.send(exchange, 401, ApiErrors.AUTHENTICATION, "/metrics needs the metrics key ('Authorization: "
                    + "Bearer <key>' or 'X-API-Key')", "Authorization");
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getResponseSender().send(metrics.scrape());
    }

    private boolean keyGiven(HttpServerExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst(ApiKeyCheck.HEADER);
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if ((given == null || given.isEmpty()) && authorization != null
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = authorization.substring(7).trim();
        }
        return given != null && MessageDigest.isEqual(sha256(given), sha256(metricsKey));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
