package dev.flowgraph.api.mcp;

import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.FullBody;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MCP's Streamable HTTP transport on the API element's own Undertow, for the official SDK's server (which ships it
 * only for servlets): {@code POST /mcp} with {@code initialize} opens a session ({@code Mcp-Session-Id}); later
 * requests of the session are answered as a short SSE stream (the tool's progress notifications, then its result);
 * notifications and responses from the client are accepted with 202; {@code DELETE /mcp} ends the session. There is
 * no standing {@code GET} stream (the route answers 405, as the transport allows). POSTs run on a worker once
 * {@link FullBody} has read the body.
 */
public final class McpRoute implements McpStreamableServerTransportProvider, HttpHandler {
    private static final HttpString SESSION = new HttpString("Mcp-Session-Id");
    /** Set at the first request, with the server. */
    private McpJsonMapper json;
    private final Map<String, McpStreamableServerSession> sessions = new ConcurrentHashMap<>();
    private volatile McpStreamableServerSession.Factory factory;
    /** Builds the SDK's server on this transport; run at the first request, so that a start loads none of it. */
    private final java.util.function.Consumer<McpRoute> server;
    private volatile boolean built;

    /** @param server builds the SDK's server on this transport (which calls {@link #setSessionFactory}) */
    public McpRoute(java.util.function.Consumer<McpRoute> server) {
        this.server = server;
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory factory) {
        this.factory = factory;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values()).flatMap(s -> s.sendNotification(method, params)).then();
    }

    /** Whether a client ever used the route (the SDK's server exists only then). */
    public boolean isBuilt() {
        return built;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Flux.fromIterable(sessions.values()).flatMap(McpStreamableServerSession::closeGracefully).then()
                .doFinally(signal -> sessions.clear());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!built) {
            synchronized (this) {
                if (!built) {
                    json = McpJsonDefaults.getMapper();
                    server.accept(this);
                    built = true;
                }
            }
        }
        if (exchange.getRequestMethod().equals(Methods.DELETE)) {
            McpStreamableServerSession session = sessions.remove(String.valueOf(
                    exchange.getRequestHeaders().getFirst(SESSION)));
            if (session == null) {
                ApiErrors.send(exchange, 404, ApiErrors.NOT_FOUND, "no MCP session with that Mcp-Session-Id");
                return;
            }
            session.delete().block();
            exchange.setStatusCode(200);
            exchange.endExchange();
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, new String(FullBody.body(exchange), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            ApiErrors.send(exchange, 400, ApiErrors.INVALID_REQUEST, "the body is not a JSON-RPC message: "
                    + e.getMessage());
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request && request.method().equals(McpSchema.METHOD_INITIALIZE)) {
            initialize(exchange, request);
            return;
        }
        String id = exchange.getRequestHeaders().getFirst(SESSION);
        McpStreamableServerSession session = id == null ? null : sessions.get(id);
        if (session == null) {
            ApiErrors.send(exchange, id == null ? 400 : 404, ApiErrors.INVALID_REQUEST, id == null
                    ? "the Mcp-Session-Id header is missing: initialize first" : "no MCP session with that Mcp-Session-Id");
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request) {
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream")
                    .put(Headers.CACHE_CONTROL, "no-cache").put(SESSION, id);
            try (OutputStream out = exchange.getOutputStream()) {
                session.responseStream(request, new SseStream(out)).block();
            }
            return;
        }
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            session.accept(notification).block();
        } else if (message instanceof McpSchema.JSONRPCResponse response) {
            session.accept(response).block();
        }
        exchange.setStatusCode(202);
        exchange.endExchange();
    }

    private void initialize(HttpServerExchange exchange, McpSchema.JSONRPCRequest request) throws IOException {
        McpSchema.InitializeRequest init = json.convertValue(request.params(), new TypeRef<>() {
        });
        McpStreamableServerSession.McpStreamableServerSessionInit started = factory.startSession(init);
        sessions.put(started.session().getId(), started.session());
        McpSchema.InitializeResult result = started.initResult().block();
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json")
                .put(SESSION, started.session().getId());
        exchange.getResponseSender().send(json.writeValueAsString(new McpSchema.JSONRPCResponse(
                McpSchema.JSONRPC_VERSION, request.id(), result, null)));
    }

    /** One request's answer as server-sent events: each message an {@code event: message}, flushed as it goes. */
    private final class SseStream implements McpStreamableServerTransport {
        private final OutputStream out;

        SseStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            return Mono.fromRunnable(() -> {
                try {
                    String event = (messageId == null ? "" : "id: " + messageId + "\n") + "event: message\ndata: "
                            + json.writeValueAsString(message) + "\n\n";
                    synchronized (this) {
                        out.write(event.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
            return json.convertValue(data, type);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty(); // the route ends the response when the stream's work is done
        }
    }
}
