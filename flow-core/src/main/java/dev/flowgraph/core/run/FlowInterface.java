package dev.flowgraph.core.run;

import dev.flowgraph.core.node.DataType;

import java.util.function.Consumer;

/**
 * The ports a flow offers when it is used inside another (a sub-flow), declared by its Flow input and Flow output
 * nodes. The Sub-flow, For each and Repeat nodes feed and read a sub-flow through these.
 */
public final class FlowInterface {
    private FlowInterface() {
    }

    /** Where values enter the flow. */
    public interface Input {
        String name();

        DataType type();

        /** Sends a packet of a (child) run into the flow here, as if it came down a wire; from any thread. */
        void accept(Packet packet);
    }

    /** Where the flow's results leave it. */
    public interface Output {
        String name();

        DataType type();

        /**
         * Hands every packet that reaches this output (deltas, then an end, failure or not-taken mark) to
         * {@code sink}, on the output node's mailbox: the sink must be quick. Set once, before runs are fed.
         */
        void sendTo(Consumer<Packet> sink);
    }
}
