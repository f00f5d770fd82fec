package dev.flowgraph.api.http;

/**
 * A request we refuse after reading it: 400 by default, or another status (404 for an unknown model);
 * {@code param} names the field at fault and {@code code} gives a machine-readable reason, either may be null.
 */
public final class BadRequest extends Exception {
    private final int status;
    private final String param;
    private final String code;

    public BadRequest(String param, String message) {
        this(400, param, message, null);
    }

    public BadRequest(int status, String param, String message, String code) {
        super(message, null, false, false);
        this.status = status;
        this.param = param;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
