package dev.flowgraph.core.store;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.RunStatus;
import dev.flowgraph.core.run.Usage;

import java.util.List;

/**
 * One run as history keeps it.
 *
 * @param id           unique across instances and restarts
 * @param route        the route it came by, such as {@code POST /prompt}
 * @param keyName      the name of the API key the client used (never the key)
 * @param session      the conversation it belongs to, or null
 * @param instance     the instance that ran it ({@code host:port})
 * @param started      epoch milliseconds
 * @param ended        epoch milliseconds, or 0 while it runs
 * @param finishReason {@code stop}, {@code length}, {@code error} or {@code cancelled}; null while it runs
 * @param error        why it failed or was cancelled, or null
 * @param input        the messages the client sent, or null when not recorded
 * @param output       the answer (cut at the recording cap), or null when not recorded
 * @param outputChars  the whole answer's length in characters, cut or not
 * @param trace        what each node did
 */
public record RunRecord(String id, String flow, String route, String keyName, String session, String instance,
                        long started, long ended, RunStatus status, String finishReason, Usage usage, String error,
                        List<ChatMessage> input, String output, long outputChars, List<NodeTrace> trace) {

    public RunRecord {
        usage = usage == null ? Usage.NONE : usage;
        input = input == null ? null : List.copyOf(input);
        trace = trace == null ? List.of() : List.copyOf(trace);
    }

    /** Whether the recorded answer is shorter than the answer was. */
    public boolean outputCut() {
        return output != null && output.length() < outputChars;
    }

    /** Milliseconds from start to end, or -1 while it runs. */
    public long durationMillis() {
        return ended == 0 ? -1 : ended - started;
    }
}
