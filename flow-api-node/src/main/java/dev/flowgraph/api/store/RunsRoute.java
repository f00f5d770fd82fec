package dev.flowgraph.api.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.core.store.RunJson;
import dev.flowgraph.core.store.RunRecord;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.store.StoreUnavailableException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.Deque;
import java.util.Optional;

/**
 * {@code GET /runs?limit=N}: this flow's runs, newest first (without their messages and trace);
 * {@code GET /runs/{id}}: one run with everything recorded. The same JSON as {@code flow runs --json}. Runs on a
 * blocking worker.
 */
public final class RunsRoute implements HttpHandler {
    public static final String PATH = "/runs";
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 1_000;

    private final Store store;
    private final String flow;

    public RunsRoute(Store store, String flow) {
        this.store = store;
        this.flow = flow;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String tail = StoreRoutes.tail(exchange, PATH);
        if (!store.isEnabled()) {
            StoreRoutes.noStore(exchange, "run history");
            return;
        }
        try {
            if (tail.isEmpty() || tail.equals("/")) {
                Integer limit = limit(exchange);
                if (limit == null) {
                    return;
                }
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.put("flow", flow);
                ArrayNode runs = body.putArray("runs");
                for (RunRecord run : store.runs().list(flow, limit)) {
                    runs.add(RunJson.of(run, false));
                }
                StoreRoutes.json(exchange, 200, body);
                return;
            }
            String id = tail.substring(1);
            Optional<RunRecord> run = store.runs().find(id).filter(r -> r.flow().equals(flow));
            if (run.isEmpty()) {
                ApiErrors.send(exchange, 404, ApiErrors.NOT_FOUND, "no run '" + id + "' of flow '" + flow + "'", "id");
                return;
            }
            StoreRoutes.json(exchange, 200, RunJson.of(run.get(), true));
        } catch (StoreUnavailableException e) {
            StoreRoutes.unavailable(exchange, e);
        }
    }

    /** The {@code limit} parameter, or null after answering 400. */
    private static Integer limit(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("limit");
        if (values == null || values.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(values.getFirst());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        ApiErrors.send(exchange, 400, ApiErrors.INVALID_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT
                + ", not '" + values.getFirst() + "'", "limit");
        return null;
    }
}
