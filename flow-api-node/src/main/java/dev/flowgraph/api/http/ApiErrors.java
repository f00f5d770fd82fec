package dev.flowgraph.api.http;

import dev.flowgraph.api.sse.JsonText;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** Error answers: {@code {"error":{"message":...,"type":...,"param":...}}} with the matching status. */
public final class ApiErrors {
    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "authentication_error";
    public static final String NOT_FOUND = "not_found_error";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String TOO_LARGE = "request_too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String BUSY = "server_busy";
    public static final String NOT_RUNNING = "flow_not_running";
    public static final String RUN_FAILED = "run_failed";

    private ApiErrors() {
    }

    public static void send(HttpServerExchange exchange, int status, String type, String message) {
        send(exchange, status, type, message, null);
    }

    /** @param param the request field at fault (such as {@code message[1].role}), or null */
    public static void send(HttpServerExchange exchange, int status, String type, String message, String param) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json(type, message, param));
    }

    static String json(String type, String message, String param) {
        StringBuilder b = new StringBuilder(96).append("{\"error\":{\"message\":");
        JsonText.quote(b, message).append(",\"type\":");
        JsonText.quote(b, type);
        if (param != null) {
            JsonText.quote(b.append(",\"param\":"), param);
        }
        return b.append("}}").toString();
    }
}
