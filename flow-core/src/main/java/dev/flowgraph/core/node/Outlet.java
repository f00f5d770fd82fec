package dev.flowgraph.core.node;

import dev.flowgraph.core.run.Packet;

/** An output port of a running node: what is emitted here reaches every wired input's mailbox. */
public interface Outlet {

    /** Safe to call from any thread; packets of one thread keep their order. */
    void emit(Packet packet);
}
