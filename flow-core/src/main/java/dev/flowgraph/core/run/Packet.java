package dev.flowgraph.core.run;

import java.util.Objects;

/**
 * The unit of work on a wire, tagged with its run. A stream on a wire is zero or more {@link Delta}s followed by
 * exactly one {@link End}, or by a {@link Failure}.
 */
public sealed interface Packet permits Packet.Delta, Packet.End, Packet.Failure {

    Run run();

    default boolean isTerminal() {
        return !(this instanceof Delta);
    }

    /** A piece of the stream: a {@code String} on TEXT wires, a {@code ChatRequest} on CHAT wires. */
    record Delta(Run run, Object value) implements Packet {
        public Delta {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The stream ended normally.
     *
     * @param finishReason {@code stop} (natural end or a stop string), {@code length} (token limit) or
     *                     {@code cancelled}
     */
    record End(Run run, Usage usage, String finishReason) implements Packet {
        public static final String STOP = "stop";
        public static final String LENGTH = "length";
        public static final String CANCELLED = "cancelled";

        public End {
            Objects.requireNonNull(run, "run");
            usage = usage == null ? Usage.NONE : usage;
            finishReason = finishReason == null ? STOP : finishReason;
        }

        public static End of(Run run) {
            return new End(run, Usage.NONE, STOP);
        }
    }

    /** The run failed at {@code nodeId}; the message is fit to show the client. */
    record Failure(Run run, String nodeId, String message) implements Packet {
        public Failure {
            Objects.requireNonNull(run, "run");
        }
    }
}
