package dev.flowgraph.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.core.store.StoreUnavailableException;
import dev.flowgraph.core.store.RunJson;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** What the store's routes share: JSON answers, and the refusals when there is no store or it is away. */
final class StoreRoutes {
    static final String STORE_UNAVAILABLE = "store_unavailable";

    private StoreRoutes() {
    }

    static void json(HttpServerExchange exchange, int status, JsonNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(RunJson.text(body));
    }

    static void noStore(HttpServerExchange exchange, String what) {
        ApiErrors.send(exchange, 404, ApiErrors.NOT_FOUND, "this instance keeps no " + what + ": it was started with "
                + "--store none");
    }

    static void unavailable(HttpServerExchange exchange, StoreUnavailableException e) {
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
        ApiErrors.send(exchange, 503, STORE_UNAVAILABLE, "the store cannot be read right now; retry later");
    }

    /** The path segment after {@code prefix}, such as the id in {@code /runs/ID}; empty when there is none. */
    static String tail(HttpServerExchange exchange, String prefix) {
        String path = exchange.getRequestPath();
        return path.length() <= prefix.length() ? "" : path.substring(prefix.length());
    }
}
