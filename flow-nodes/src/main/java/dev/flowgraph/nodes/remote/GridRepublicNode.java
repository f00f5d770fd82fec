package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The running GridRepublic node: per run, submit a job, then poll it and stream its log's new parts. */
final class GridRepublicNode extends RemoteChatNode {
    private static final Logger log = LoggerFactory.getLogger(GridRepublicNode.class);

    private final String jobs;
    private final String app;
    private final String tag;
    private final Duration firstWait;
    private final Duration longestWait;
    private final Duration jobTimeout;

    GridRepublicNode(NodeContext context) {
        super(context, "GridRepublic at " + trimmed(context.settings().string("baseUrl")));
        NodeSettings s = context.settings();
        this.jobs = trimmed(s.string("baseUrl")) + "/jobs";
        this.app = s.string("app");
        this.tag = s.string("tag");
        this.firstWait = Duration.ofMillis(s.integer("pollIntervalMillis"));
        Duration longest = Duration.ofSeconds(s.integer("maxPollIntervalSeconds"));
        this.longestWait = longest.compareTo(firstWait) < 0 ? firstWait : longest;
        this.jobTimeout = Duration.ofSeconds(s.integer("jobTimeoutSeconds"));
    }

    @Override
    protected void answer(RemoteHttp.Call call, ChatRequest request, AnswerStream answer) throws RemoteCallException {
        long started = System.nanoTime();
        String body = GridRepublicJobs.submission(app, tag, PlainPrompt.of(request));
        HttpRequest.Builder submit = request(URI.create(jobs), "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        String id = GridRepublicJobs.jobId(http.service(), call.text(call.sendExpectingSuccess(submit)));
        log.debug("{} runs job {}", http.service(), id);
        URI job = URI.create(jobs + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        int sent = 0;
        Duration wait = null;
        while (true) {
            GridRepublicJobs.JobState state = GridRepublicJobs.state(http.service(), id,
                    call.text(call.sendExpectingSuccess(request(job, "application/json").GET())));
            String fresh = GridRepublicJobs.newPart(sent, state.log());
            answer.text(fresh);
            sent = Math.max(sent, state.log().length());
            if (state.succeeded()) {
                // The service reports no token counts.
                answer.end(Usage.NONE, Packet.End.STOP);
                return;
            }
            if (state.failed()) {
                throw new RemoteCallException(http.service() + ": job " + id + " ended '" + state.status() + "'"
                        + (state.log().isBlank() ? "" : "; its log ends: "
                        + ServiceErrors.abbreviate(tail(state.log()))));
            }
            if (System.nanoTime() - started > jobTimeout.toNanos()) {
                throw new RemoteCallException(http.service() + ": job " + id + " was still '" + state.status()
                        + "' after " + jobTimeout.toSeconds() + " s");
            }
            // Poll again soon while the log grows; back off while it stands still.
            wait = fresh.isEmpty() && wait != null ? min(wait.multipliedBy(2), longestWait) : firstWait;
            call.pause(wait);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String tail(String text) {
        return text.length() > 200 ? text.substring(text.length() - 200) : text;
    }
}
