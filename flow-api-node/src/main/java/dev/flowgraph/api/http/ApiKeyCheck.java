package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks the {@code X-API-Key} header. Both keys are hashed before comparing, so the comparison takes the
 * same time whatever the given key's length or content. The key is never logged.
 */
final class ApiKeyCheck implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyCheck.class);
    static final HttpString HEADER = new HttpString("X-API-Key");

    private final byte[] expectedDigest;
    private final boolean bearerToo;
    private final HttpHandler next;

    /** @param bearerToo also take {@code Authorization: Bearer <key>} (the OpenAI routes) */
    ApiKeyCheck(String apiKey, boolean bearerToo, HttpHandler next) {
        this.expectedDigest = digest(apiKey);
        this.bearerToo = bearerToo;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String given = exchange.getRequestHeaders().getFirst(HEADER);
        if ((given == null || given.isEmpty()) && bearerToo) {
            String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                given = authorization.substring(7).trim();
            }
        }
        if (given == null || given.isEmpty()) {
            log.debug("{} {} refused: no API key", exchange.getRequestMethod(), exchange.getRequestPath());
            ApiErrors.send(exchange, 401, ApiErrors.AUTHENTICATION, bearerToo
                    ? "missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key'"
                    : "missing X-API-Key header", bearerToo ? "Authorization" : "X-API-Key");
            return;
        }
        if (!MessageDigest.isEqual(expectedDigest, digest(given))) {
            log.info("{} {} from {} refused: wrong API key", exchange.getRequestMethod(), exchange.getRequestPath(),
                    exchange.getSourceAddress());
            ApiErrors.send(exchange, 401, ApiErrors.AUTHENTICATION, "invalid API key",
                    bearerToo ? "Authorization" : "X-API-Key");
            return;
        }
        next.handleRequest(exchange);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
