package dev.flowgraph.api.http;

/** A request body we cannot take; {@code param} names the field at fault. */
final class BadRequest extends Exception {
    private final String param;

    BadRequest(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    String param() {
        return param;
    }
}
