package dev.flowgraph.core.run;

import java.util.Objects;

/**
 * The unit of work on a wire, tagged with its run. A stream on a wire is zero or more {@link Delta}s followed by
 * exactly one {@link End}, or by a {@link Failure}; or, on a branch the run did not take, one {@link NotTaken} alone.
 */
public sealed interface Packet permits Packet.Delta, Packet.End, Packet.Failure, Packet.NotTaken {

    Run run();

    /** The same packet for another run: how a sub-flow's runs map onto the parent's and back. */
    Packet withRun(Run other);

    default boolean isTerminal() {
        return !(this instanceof Delta);
    }

    /** A piece of the stream: a {@code String} on TEXT wires, a {@code ChatRequest} on CHAT wires. */
    record Delta(Run run, Object value) implements Packet {
        public Delta {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Delta withRun(Run other) {
            return new Delta(other, value);
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

        @Override
        public End withRun(Run other) {
            return new End(other, usage, finishReason);
        }
    }

    /** The run failed at {@code nodeId}; the message is fit to show the client. */
    record Failure(Run run, String nodeId, String message) implements Packet {
        public Failure {
            Objects.requireNonNull(run, "run");
        }

        @Override
        public Failure withRun(Run other) {
            return new Failure(other, nodeId, message);
        }
    }

    /**
     * The run will not come down this wire: a routing node sent it another way. It stands in for the whole stream
     * (no delta comes before or after it) and travels on down the untaken branch, so that nothing waits for the run.
     *
     * @param routedAt the routing node that did not take this branch
     * @param joinedAt the first node at which every branch into an input was not taken, or null while none was
     */
    record NotTaken(Run run, String routedAt, String joinedAt) implements Packet {
        public NotTaken {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(routedAt, "routedAt");
        }

        @Override
        public NotTaken withRun(Run other) {
            return new NotTaken(other, routedAt, joinedAt);
        }

        /** What went wrong when a run that must be answered reaches an answer input by this mark only. */
        public String explain() {
            return joinedAt != null
                    ? "no branch answered: every branch into '" + joinedAt + "' was not taken in this run"
                    : "no branch answered: '" + routedAt + "' sent this run another way";
        }
    }
}
