package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Checks the {@code X-API-Key} header against the {@link ApiKeys}, by their SHA-256 digests, and puts the key's name
 * on the exchange ({@link #KEY_NAME}) for logs and limits. The key itself is never logged.
 */
final class ApiKeyCheck implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyCheck.class);
    static final HttpString HEADER = new HttpString("X-API-Key");
    /** The name of the key the request came with. */
    static final AttachmentKey<String> KEY_NAME = AttachmentKey.create(String.class);

    private final ApiKeys keys;
    private final boolean bearerToo;
    private final HttpHandler next;

    /** @param bearerToo also take {@code Authorization: Bearer <key>} (the OpenAI routes) */
    ApiKeyCheck(ApiKeys keys, boolean bearerToo, HttpHandler next) {
        this.keys = keys;
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
        java.util.Optional<String> name = keys.nameOf(given);
        if (name.isEmpty()) {
            log.info("{} {} from {} refused: wrong API key", exchange.getRequestMethod(), exchange.getRequestPath(),
                    exchange.getSourceAddress());
            ApiErrors.send(exchange, 401, ApiErrors.AUTHENTICATION, "invalid API key",
                    bearerToo ? "Authorization" : "X-API-Key");
            return;
        }
        exchange.putAttachment(KEY_NAME, name.get());
        next.handleRequest(exchange);
    }
}
