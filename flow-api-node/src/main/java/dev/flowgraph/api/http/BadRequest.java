package dev.flowgraph.api.http;

/** A request body we cannot take; {@code param} names the field at fault. */
public final class BadRequest extends Exception {
    private final String param;

    public BadRequest(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
