package dev.flowgraph.api.locallab;

import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.sse.SseFormat;
import dev.flowgraph.core.run.Packet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * LocalLab's stream: each event's data is the token itself ({@code data: Once}), and {@code data: [DONE]} ends it.
 * A token holding line breaks is sent as one event of several {@code data:} lines, which an SSE reader joins
 * back with the line breaks; the space after {@code data:} is the one the format drops, so a token's own leading
 * space survives. An error after the stream began is an event of LocalLab's error shape, {@code {"detail":...}}.
 */
final class TokenEvents implements SseFormat {
    private final StringBuilder buffer = new StringBuilder(64);

    @Override
    public void delta(String text, EventSink out) throws IOException {
        buffer.setLength(0);
        int from = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
            int end = nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            buffer.append("data: ").append(text, from, end).append('\n');
            from = nl + 1;
        }
        buffer.append("data: ").append(text, from, text.length()).append("\n\n");
        out.send(buffer.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void finish(Packet.End end, EventSink out) {
        // data: [DONE] follows, as in every dialect
    }

    @Override
    public void error(String message, EventSink out) throws IOException {
        out.send(("data: " + ApiErrors.detail(message) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
