package dev.flowgraph.api.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.api.http.PromptRequestParser;
import dev.flowgraph.core.store.Conversations;
import dev.flowgraph.core.store.RunJson;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.store.StoreUnavailableException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /sessions/{id}}: a conversation's stored messages; {@code DELETE /sessions/{id}}: forgets it. Only this
 * flow's sessions; 404 for one that does not exist (never started, deleted or expired). Runs on a blocking worker.
 */
public final class SessionsRoute implements HttpHandler {
    public static final String PATH = "/sessions/";

    private final Store store;
    private final String flow;

    public SessionsRoute(Store store, String flow) {
        this.store = store;
        this.flow = flow;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String id;
        try {
            id = PromptRequestParser.sessionId(StoreRoutes.tail(exchange, PATH), "session_id");
        } catch (BadRequest e) {
            ApiErrors.send(exchange, 400, ApiErrors.INVALID_REQUEST, e.getMessage(), e.param());
            return;
        }
        if (!store.isEnabled()) {
            StoreRoutes.noStore(exchange, "sessions");
            return;
        }
        try {
            if (Methods.DELETE.equals(exchange.getRequestMethod())) {
                if (store.conversations().delete(flow, id)) {
                    StoreRoutes.json(exchange, 200, JsonNodeFactory.instance.objectNode().put("session_id", id)
                            .put("deleted", true));
                } else {
                    notFound(exchange, id);
                }
                return;
            }
            Optional<Conversations.Session> session = store.conversations().find(flow, id);
            if (session.isEmpty()) {
                notFound(exchange, id);
                return;
            }
            Conversations.Session s = session.get();
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("session_id", s.id());
            body.put("flow", s.flow());
            body.put("created", Instant.ofEpochMilli(s.created()).toString());
            body.put("updated", Instant.ofEpochMilli(s.updated()).toString());
            body.set("messages", RunJson.messages(s.messages()));
            StoreRoutes.json(exchange, 200, body);
        } catch (StoreUnavailableException e) {
            StoreRoutes.unavailable(exchange, e);
        }
    }

    private void notFound(HttpServerExchange exchange, String id) {
        ApiErrors.send(exchange, 404, ApiErrors.NOT_FOUND, "no session '" + id + "' in flow '" + flow
                + "' (never started, deleted, or expired)", "session_id");
    }
}
