package dev.flowgraph.api.sse;

import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Usage;

import java.io.IOException;

import java.nio.charset.StandardCharsets;

/**
 * The server-sent events of a {@code /prompt} stream. Every event's JSON starts with {@code {"choices":} and
 * has {@code choices[0].message.content} as a string, because the reference Python client splits the body
 * on that prefix and reads the field unguarded.
 */
public final class PromptEvents implements SseFormat {
    public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final StringBuilder buffer = new StringBuilder(256);

    /** A piece of the answer. */
    public byte[] delta(String text) {
        start(text);
        buffer.append("},\"finish_reason\":null}]}");
        return end();
    }

    /** The last content event: why the answer ended, and the token usage. */
    public byte[] finish(String finishReason, Usage usage) {
        start("");
        buffer.append("},\"finish_reason\":");
        JsonText.quote(buffer, finishReason);
        buffer.append("}],\"usage\":{\"prompt_tokens\":").append(usage.promptTokens())
                .append(",\"completion_tokens\":").append(usage.completionTokens())
                .append(",\"total_tokens\":").append(usage.totalTokens()).append("}}");
        return end();
    }

    /** The run failed after the stream began: an ending event that still reads as a (empty) choice. */
    public byte[] error(String message, String type) {
        start("");
        buffer.append("},\"finish_reason\":\"error\"}],\"error\":{\"message\":");
        JsonText.quote(buffer, message);
        buffer.append(",\"type\":");
        JsonText.quote(buffer, type);
        buffer.append("}}");
        return end();
    }

    @Override
    public void delta(String text, EventSink out) throws IOException {
        out.send(delta(text));
    }

    @Override
    public void finish(Packet.End end, EventSink out) throws IOException {
        out.send(finish(end.finishReason(), end.usage()));
    }

    @Override
    public void error(String message, EventSink out) throws IOException {
        out.send(error(message, "run_failed"));
    }

    private void start(String content) {
        buffer.setLength(0);
        buffer.append("data: {\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
        JsonText.quote(buffer, content);
    }

    private byte[] end() {
        buffer.append("\n\n");
        return buffer.toString().getBytes(StandardCharsets.UTF_8);
    }
}
