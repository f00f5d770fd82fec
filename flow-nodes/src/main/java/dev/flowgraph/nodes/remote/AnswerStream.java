package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.nodes.structured.JsonAnswer;
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
    /** The JSON the answer must be, or null for text. */
    private final JsonAnswer structured;
    /** Where the checked value goes; null when the node has no json output. */
    private final Outlet jsonOut;
    private final int maxTokens;
    private final StringBuilder whole;

    AnswerStream(Run run, Outlet out, String nodeId) {
        this(run, out, nodeId, null, null, 0);
    }

    /**
     * An answer that must be JSON as {@code structured} says: checked when it ends, its value sent on {@code jsonOut}
     * (when there is one), or the run failed saying why.
     */
    AnswerStream(Run run, Outlet out, String nodeId, JsonAnswer structured, Outlet jsonOut, int maxTokens) {
        this.run = run;
        this.out = out;
        this.nodeId = nodeId;
        this.structured = structured;
        this.jsonOut = jsonOut;
        this.maxTokens = maxTokens;
        this.whole = structured == null ? null : new StringBuilder();
    }

    /** Sends a piece of the answer on; empty pieces (role-only chunks, keep-alives) are dropped. */
    void text(String text) {
        if (!text.isEmpty()) {
            out.emit(new Packet.Delta(run, text));
            pieces++;
            if (whole != null) {
                whole.append(text);
            }
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
        Packet.End end = new Packet.End(run, counted, finishReason);
        if (structured != null) {
            try {
                JsonNode value = structured.check(whole.toString(), Packet.End.LENGTH.equals(finishReason), maxTokens);
                if (jsonOut != null) {
                    jsonOut.emit(new Packet.Delta(run, value));
                }
            } catch (JsonAnswer.InvalidAnswer e) {
                fail(e.getMessage());
                return;
            }
        }
        if (jsonOut != null) {
            jsonOut.emit(end);
        }
        out.emit(end);
    }

    /** The run was cancelled: the answer ends early, which is no error. */
    void cancelled() {
        Packet.End end = new Packet.End(run, Usage.NONE, Packet.End.CANCELLED);
        if (jsonOut != null) {
            jsonOut.emit(end);
        }
        out.emit(end);
    }

    void fail(String message) {
        if (run.isInternal()) {
            log.debug("node '{}' {} (internal): {}", nodeId, run, message);
        } else {
            log.warn("node '{}' {}: {}", nodeId, run, message);
        }
        run.trace().error(nodeId, message);
        Packet.Failure failure = new Packet.Failure(run, nodeId, message);
        if (jsonOut != null) {
            jsonOut.emit(failure);
        }
        out.emit(failure);
    }
}
