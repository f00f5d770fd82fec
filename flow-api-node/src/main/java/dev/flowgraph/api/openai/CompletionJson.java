package dev.flowgraph.api.openai;

import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Usage;

/** The non-streamed {@code chat.completion} object and the usage object both forms share. */
final class CompletionJson {
    private CompletionJson() {
    }

    static String usage(Usage u) {
        return JsonText.usage(u);
    }

    static String completion(String id, long created, String model, String text, Packet.End end) {
        StringBuilder b = new StringBuilder(text.length() + 256).append("{\"id\":");
        JsonText.quote(b, id).append(",\"object\":\"chat.completion\",\"created\":").append(created).append(",\"model\":");
        JsonText.quote(b, model).append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
        JsonText.quote(b, text).append("},\"finish_reason\":\"")
                .append(Packet.End.LENGTH.equals(end.finishReason()) ? "length" : "stop")
                .append("\"}],\"usage\":").append(usage(end.usage())).append('}');
        return b.toString();
    }
}
