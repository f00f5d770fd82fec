package dev.flowgraph.api.http;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.run.Run;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /prompt}: reads the request, admits it (or answers 503 at once), runs it through the flow and
 * streams the answer as server-sent events, one flushed chunk per event. A client that goes away cancels its
 * run; the stream ends with a final event (finish reason and usage, or the error) and {@code data: [DONE]}.
 */
final class PromptRoute implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(PromptRoute.class);
    private static final HttpString X_ACCEL_BUFFERING = new HttpString("X-Accel-Buffering");
    static final String RETRY_AFTER_SECONDS = "1";

    private final ApiElementNode element;
    private final Admission admission;
    private final ServerConfig config;

    PromptRoute(ApiElementNode element, Admission admission, ServerConfig config) {
        this.element = element;
        this.admission = admission;
        this.config = config;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        byte[] body = readBody(exchange, config.maxBodyBytes());
        if (body == null) {
            BodyLimit.tooLarge(exchange, config.maxBodyBytes());
            return;
        }
        ChatRequest request;
        try {
            request = PromptRequestParser.parse(body);
        } catch (BadRequest e) {
            ApiErrors.send(exchange, 400, ApiErrors.INVALID_REQUEST, e.getMessage(), e.param());
            return;
        }
        if (!element.isAlive()) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
            ApiErrors.send(exchange, 503, ApiErrors.NOT_RUNNING, "the flow is not running");
            return;
        }
        if (!admission.tryEnter()) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
            ApiErrors.send(exchange, 503, ApiErrors.BUSY, "busy with another request; retry after "
                    + RETRY_AFTER_SECONDS + " s");
            return;
        }
        Admission.Ticket ticket = admission.ticket();
        try {
            stream(exchange, request, ticket);
        } finally {
            ticket.release();
        }
    }

    /** The body, or null when it is longer than {@code max} (a chunked body has no Content-Length to check first). */
    private static byte[] readBody(HttpServerExchange exchange, long max) throws IOException {
        try (InputStream in = exchange.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            return body.length > max ? null : body;
        }
    }

    private void stream(HttpServerExchange exchange, ChatRequest request, Admission.Ticket ticket)
            throws InterruptedException {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/event-stream")
                .put(Headers.CACHE_CONTROL, "no-cache")
                .put(X_ACCEL_BUFFERING, "no");
        SseAnswer answer = new SseAnswer(exchange.getOutputStream(), ticket);
        Run run;
        try {
            run = element.submit(request, answer);
        } catch (IllegalStateException e) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
            ApiErrors.send(exchange, 503, ApiErrors.NOT_RUNNING, e.getMessage());
            return;
        }
        try {
            if (answer.begin()) {
                answer.await(config.keepAliveInterval().toNanos(), () -> run.cancel("client disconnected"));
            } else {
                run.cancel("client disconnected");
            }
        } finally {
            exchange.endExchange();
        }
        log.info("POST /prompt {} from {}: {} events, {} in {} ms", run, exchange.getSourceAddress(),
                answer.deltas(), answer.outcome(), (System.nanoTime() - run.startNanos()) / 1_000_000);
    }
}
