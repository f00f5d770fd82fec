package dev.flowgraph.api.store;

import dev.flowgraph.api.http.ServerConfig;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RunOutcome;
import dev.flowgraph.core.run.RunStatus;
import dev.flowgraph.core.run.Usage;
import dev.flowgraph.core.store.RunHistory;
import dev.flowgraph.core.store.RunRecord;

import java.util.List;

/**
 * Puts each client's run in run history, as the API element's {@code record} setting says: queued when it starts
 * (so a run its instance dies in shows as interrupted) and again when it ends. Never waits for the database.
 */
public final class RunRecorder {
    private final RunHistory history;
    private final String flow;
    private final ServerConfig.History settings;
    private volatile String instance = "unknown";

    public RunRecorder(RunHistory history, String flow, ServerConfig.History settings) {
        this.history = history;
        this.flow = flow;
        this.settings = settings;
    }

    /** Names this instance in the records ({@code host:port}) once its server listens. */
    public void instance(String hostAndPort) {
        this.instance = hostAndPort;
    }

    public String instance() {
        return instance;
    }

    /**
     * @param route   such as {@code POST /prompt}
     * @param keyName the name of the client's key
     */
    public void started(Turn turn, String route, String keyName, ChatRequest request) {
        if (settings.isOff()) {
            return;
        }
        history.record(new RunRecord(turn.id(), flow, route, keyName, turn.session(), instance, turn.startedMillis(), 0,
                RunStatus.RUNNING, null, Usage.NONE, null, input(request), null, 0, List.of()));
    }

    /** Records how {@code run} ended; a run that never started (null) is recorded as failed with {@code why}. */
    public void finished(Turn turn, String route, String keyName, ChatRequest request, Run run, String why) {
        if (settings.isOff()) {
            return;
        }
        RunOutcome outcome = run == null ? null : run.outcome();
        if (outcome == null) {
            outcome = new RunOutcome(RunStatus.ERROR, "error", "", Usage.NONE, why);
        }
        String answer = outcome.answer();
        String output = !settings.keepsText() ? null
                : answer.length() <= settings.maxChars() ? answer : answer.substring(0, settings.maxChars());
        history.record(new RunRecord(turn.id(), flow, route, keyName, turn.session(), instance, turn.startedMillis(),
                System.currentTimeMillis(), outcome.status(), outcome.finishReason(), outcome.usage(), outcome.error(),
                input(request), output, answer.length(), run == null ? List.of() : run.trace().nodes()));
    }

    private List<dev.flowgraph.core.chat.ChatMessage> input(ChatRequest request) {
        return settings.keepsText() ? request.messages() : null;
    }
}
