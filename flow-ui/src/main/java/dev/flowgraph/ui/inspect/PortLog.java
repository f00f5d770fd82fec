package dev.flowgraph.ui.inspect;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What one output sent in one run: its pieces with the time each left, and how its stream ended.
 *
 * @param pieces  the delta values in order (text pieces, chat requests, JSON values, documents), at most a cap's worth
 * @param ending  how the stream ended: {@code end · stop}, {@code failed: why}, {@code not taken (route)}, or
 *                {@code open} when the run finished before it did
 * @param taken   whether the run came down this output (false when it sent only a not-taken mark)
 * @param packets every packet it sent, ending included (more than {@code pieces} when the cap cut them)
 */
public record PortLog(List<Piece> pieces, String ending, boolean taken, int packets) {

    public PortLog {
        pieces = List.copyOf(pieces);
    }

    /** One delta and when it left, in nanoseconds from the run's start. */
    public record Piece(long atNanos, Object value) {
    }

    /** Whether every piece is text (a stream worth replaying and reading as one). */
    public boolean isText() {
        return !pieces.isEmpty() && pieces.stream().allMatch(p -> p.value() instanceof String);
    }

    /** The text pieces joined as they streamed. */
    public String text() {
        return pieces.stream().map(p -> String.valueOf(p.value())).collect(Collectors.joining());
    }
}
