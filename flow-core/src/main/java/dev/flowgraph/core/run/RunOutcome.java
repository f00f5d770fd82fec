package dev.flowgraph.core.run;

/**
 * How a run ended, as its entry node saw it.
 *
 * @param answer the whole answer as it went back (empty when none did)
 * @param error  the failure's message, or the cancel reason; null when it was answered
 */
public record RunOutcome(RunStatus status, String finishReason, String answer, Usage usage, String error) {

    /** The outcome an ending packet stands for; {@code answer} is the text that came before it. */
    public static RunOutcome of(Packet ending, String answer) {
        Run run = ending.run();
        if (run.isCancelled() || ending instanceof Packet.End e && Packet.End.CANCELLED.equals(e.finishReason())) {
            return new RunOutcome(RunStatus.CANCELLED, Packet.End.CANCELLED, answer, usageOf(ending), run.cancelReason());
        }
        if (ending instanceof Packet.End e) {
            return new RunOutcome(Packet.End.LENGTH.equals(e.finishReason()) ? RunStatus.LENGTH : RunStatus.OK,
                    e.finishReason(), answer, e.usage(), null);
        }
        String message = ending instanceof Packet.Failure f ? f.message() : "no branch answered";
        return new RunOutcome(RunStatus.ERROR, "error", answer, Usage.NONE, message);
    }

    private static Usage usageOf(Packet ending) {
        return ending instanceof Packet.End e ? e.usage() : Usage.NONE;
    }
}
