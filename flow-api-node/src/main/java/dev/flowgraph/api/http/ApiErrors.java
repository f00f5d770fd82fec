package dev.flowgraph.api.http;

import dev.flowgraph.api.sse.JsonText;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Error answers with the matching status, in the shape of the route's dialect: {@code {"error":{"message":...,
 * "type":...,"param":...}}} (ours and OpenAI's), LocalLab's {@code {"detail":...}}, or GridRepublic's
 * {@code {"success":false,"error":...}}.
 */
public final class ApiErrors {
    /** The error body a dialect's clients read. */
    public enum Shape {
        ERROR_OBJECT, DETAIL, SUCCESS_FALSE
    }

    /** Set by the route (see {@link #shaped}) for the refusals of every handler after it. */
    private static final io.undertow.util.AttachmentKey<Shape> SHAPE = io.undertow.util.AttachmentKey.create(Shape.class);

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "authentication_error";
    public static final String NOT_FOUND = "not_found_error";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String TOO_LARGE = "request_too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String BUSY = "server_busy";
    public static final String SHUTTING_DOWN = "shutting_down";
    public static final String NOT_RUNNING = "flow_not_running";
    public static final String MODEL_UNLOADED = "model_unloaded";
    public static final String MODEL_LOADING = "model_loading";
    public static final String RUN_FAILED = "run_failed";
    public static final String TIMEOUT = "request_timeout";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String FORBIDDEN = "forbidden";
    /** The error type an exchange was refused with, for the refusal counter. */
    static final io.undertow.util.AttachmentKey<String> ERROR_TYPE = io.undertow.util.AttachmentKey.create(String.class);
    public static final String TOO_MANY_CONNECTIONS = "too_many_connections";

    private ApiErrors() {
    }

    public static void send(HttpServerExchange exchange, int status, String type, String message) {
        send(exchange, status, type, message, null);
    }

    /** @param param the request field at fault (such as {@code message[1].role}), or null */
    public static void send(HttpServerExchange exchange, int status, String type, String message, String param) {
        send(exchange, status, type, message, param, null);
    }

    /** @param code a machine-readable reason (OpenAI's {@code code}, such as {@code model_not_found}), or null */
    public static void send(HttpServerExchange exchange, int status, String type, String message, String param,
                            String code) {
        exchange.putAttachment(ERROR_TYPE, type);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        Shape shape = exchange.getAttachment(SHAPE);
        exchange.getResponseSender().send(shape == Shape.DETAIL ? detail(message)
                : shape == Shape.SUCCESS_FALSE ? successFalse(message) : json(type, message, param, code));
    }

    /** {@code next}, whose refusals (and those of the handlers it calls) come in {@code shape}. */
    static io.undertow.server.HttpHandler shaped(Shape shape, io.undertow.server.HttpHandler next) {
        return shape == Shape.ERROR_OBJECT ? next : exchange -> {
            exchange.putAttachment(SHAPE, shape);
            next.handleRequest(exchange);
        };
    }

    /** GridRepublic's error body. */
    public static String successFalse(String message) {
        return JsonText.quote(new StringBuilder(message.length() + 32).append("{\"success\":false,\"error\":"), message)
                .append('}').toString();
    }

    /** LocalLab's error body. */
    public static String detail(String message) {
        return JsonText.quote(new StringBuilder(message.length() + 16).append("{\"detail\":"), message).append('}')
                .toString();
    }

    static String json(String type, String message, String param, String code) {
        StringBuilder b = new StringBuilder(96).append("{\"error\":{\"message\":");
        JsonText.quote(b, message).append(",\"type\":");
        JsonText.quote(b, type);
        if (param != null) {
            JsonText.quote(b.append(",\"param\":"), param);
        }
        if (code != null) {
            JsonText.quote(b.append(",\"code\":"), code);
        }
        return b.append("}}").toString();
    }
}
