package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a remote node sends on for one run: the answer's pieces, then its end with usage, or one failure. */
final class AnswerStream {
    private static final Logger log = LoggerFactory.getLogger(AnswerStream.class);

    private final Run run;
    private final Outlet out;
    private final String nodeId;
    private int pieces;
    private String finishReason;
    private Usage usage;

    AnswerStream(Run run, Outlet out, String nodeId) {
        this.run = run;
        this.out = out;
        this.nodeId = nodeId;
    }

    /** Sends a piece of the answer on; empty pieces (role-only chunks, keep-alives) are dropped. */
    void text(String text) {
        if (!text.isEmpty()) {
            out.emit(new Packet.Delta(run, text));
            pieces++;
        }
    }

    /** Sends a parsed piece on, keeping the finish reason and usage the service reported last. */
    void piece(AnswerPiece piece) {
        text(piece.text());
        finishReason = piece.finishReason() != null ? piece.finishReason() : finishReason;
        usage = piece.usage() != null ? piece.usage() : usage;
    }

    /** Ends the answer with the usage and finish reason its pieces carried ("length" or else "stop"). */
    void end() {
        end(usage, Packet.End.LENGTH.equals(finishReason) ? Packet.End.LENGTH : Packet.End.STOP);
    }

    /**
     * Ends the answer and records its usage in the run's trace.
     *
     * @param usage what the service reported; null when it reported nothing, and then each piece counts as a token
     */
    void end(Usage usage, String finishReason) {
        Usage counted = usage != null ? usage : new Usage(0, pieces);
        run.trace().tokens(nodeId, counted.promptTokens(), counted.completionTokens());
        out.emit(new Packet.End(run, counted, finishReason));
    }

    /** The run was cancelled: the answer ends early, which is no error. */
    void cancelled() {
        out.emit(new Packet.End(run, Usage.NONE, Packet.End.CANCELLED));
    }

    void fail(String message) {
        if (run.isInternal()) {
            log.debug("node '{}' {} (internal): {}", nodeId, run, message);
        } else {
            log.warn("node '{}' {}: {}", nodeId, run, message);
        }
        run.trace().error(nodeId, message);
        out.emit(new Packet.Failure(run, nodeId, message));
    }
}
