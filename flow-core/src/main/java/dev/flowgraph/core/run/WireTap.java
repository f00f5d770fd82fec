package dev.flowgraph.core.run;

/**
 * Sees every packet the flow's nodes emit on their outputs, for showing afterwards what a run did (the editor's run
 * inspector). A runtime has no tap unless one is set, and then the per-packet cost is this call.
 *
 * <p>Called on the emitting node's thread (its mailbox or a model's generation thread), once per packet and in the
 * order the output sent them, for every run a request or ingestion started; never for the flow's own run (keep-alive,
 * tools) or for internal runs (warm-up). Return quickly: each token of a stream passes through here.
 */
@FunctionalInterface
public interface WireTap {

    /** {@code nodeId}'s output {@code port} sent {@code packet}, which every wire from that output carries. */
    void emitted(String nodeId, String port, Packet packet);
}
