package dev.flowgraph.api.sse;

import dev.flowgraph.core.run.Packet;

import java.io.IOException;

/**
 * How one API dialect writes a streamed answer as server-sent events. Each {@code send} is one event, flushed
 * on its own; the stream's {@code data: [DONE]} and keep-alive comments are common to all dialects.
 */
public interface SseFormat {

    /** Writes one event and flushes it. */
    interface EventSink {
        void send(byte[] event) throws IOException;
    }

    /** Events before the first token (the OpenAI dialect announces the assistant's role). */
    default void begin(EventSink out) throws IOException {
    }

    void delta(String text, EventSink out) throws IOException;

    /** The answer ended normally: finish reason and usage. */
    void finish(Packet.End end, EventSink out) throws IOException;

    /** The run failed or was cancelled after the stream began. */
    void error(String message, EventSink out) throws IOException;
}
