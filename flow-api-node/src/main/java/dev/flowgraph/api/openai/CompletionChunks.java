package dev.flowgraph.api.openai;

import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.api.sse.SseFormat;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A streamed chat completion: {@code chat.completion.chunk} events, the role first, then content deltas, a
 * last chunk with the finish reason, a usage chunk when asked for. Built as text, without a JSON tree, since
 * it runs once per token.
 */
final class CompletionChunks implements SseFormat {
    private final String prefix;
    private final boolean includeUsage;
    private final StringBuilder buffer = new StringBuilder(256);

    CompletionChunks(String id, long created, String model, boolean includeUsage) {
        StringBuilder p = new StringBuilder("data: {\"id\":");
        JsonText.quote(p, id).append(",\"object\":\"chat.completion.chunk\",\"created\":").append(created)
                .append(",\"model\":");
        JsonText.quote(p, model).append(",\"choices\":[");
        this.prefix = p.toString();
        this.includeUsage = includeUsage;
    }

    @Override
    public void begin(EventSink out) throws IOException {
        out.send(chunk("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}", null));
    }

    @Override
    public void delta(String text, EventSink out) throws IOException {
        buffer.setLength(0);
        buffer.append("{\"index\":0,\"delta\":{\"content\":");
        JsonText.quote(buffer, text).append("},\"finish_reason\":null}");
        out.send(chunk(buffer, null));
    }

    @Override
    public void finish(Packet.End end, EventSink out) throws IOException {
        String reason = Packet.End.LENGTH.equals(end.finishReason()) ? "length" : "stop";
        out.send(chunk("{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}", null));
        if (includeUsage) {
            out.send(chunk("", end.usage()));
        }
    }

    @Override
    public void error(String message, EventSink out) throws IOException {
        StringBuilder b = new StringBuilder("data: {\"error\":{\"message\":");
        JsonText.quote(b, message).append(",\"type\":\"server_error\"}}\n\n");
        out.send(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private byte[] chunk(CharSequence choice, Usage usage) {
        StringBuilder b = new StringBuilder(prefix.length() + choice.length() + 96).append(prefix).append(choice)
                .append(']');
        if (usage != null) {
            b.append(",\"usage\":").append(CompletionJson.usage(usage));
        }
        return b.append("}\n\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
