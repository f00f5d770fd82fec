package dev.flowgraph.api;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;

/**
 * The API element: serves the flow over HTTP ({@code POST /prompt}, answers streamed as server-sent events).
 * Its output sends each request into the flow; the flow's answer comes back on its second input. It is a
 * loop boundary, and it serves only while its first input carries an Initiator's keep-alive.
 */
public final class ApiElement implements NodeType {
    public static final String TYPE = "api.element";
    public static final String KEEP_ALIVE = "keepAlive";
    public static final String RESPONSE = "response";
    public static final String REQUEST = "request";
    /** The Initiator's type id; flow-api-node does not depend on the node that declares it. */
    private static final String INITIATOR_TYPE = "initiator";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "API element")
            .category("Flow")
            .description("Serves the flow over HTTP: POST /prompt with X-API-Key, the answer streamed as "
                    + "server-sent events, one request at a time (or as many as 'concurrency' allows).")
            .input(PortSpec.required(KEEP_ALIVE, DataType.SIGNAL, "Wire the Initiator here: the API serves "
                    + "while it runs").fromNodeTypes(INITIATOR_TYPE))
            .input(PortSpec.required(RESPONSE, DataType.TEXT, "The flow's answer, streamed back to the client"))
            .output(PortSpec.output(REQUEST, DataType.CHAT, "Each request's messages, into the flow"))
            .setting(SettingSpec.string("apiKey", null).asSecret().matching("[A-Za-z0-9]+")
                    .help("Clients send it in the X-API-Key header. Letters and digits only. Write "
                            + "${env:NAME} to read it from an environment variable instead of the file. Required "
                            + "unless keysFile is given."))
            .setting(SettingSpec.path("keysFile").help("Several named keys instead of apiKey: a file of 'name: key' "
                    + "lines (# starts a comment). It is read again when it changes, so a key can be added, removed or "
                    + "rotated without a restart. Logs and rate limits name the key, never show it."))
            .setting(SettingSpec.string("rateLimit", "").matching("|" + dev.flowgraph.api.http.RateLimit.FORMAT)
                    .help("Requests per key to the routes that run the flow, such as '60 per minute, burst 10' "
                            + "(per second, minute or hour; burst defaults to the count). Over it: 429 with "
                            + "Retry-After. Empty: no limit."))
            .setting(SettingSpec.string("localLabRateLimit", "60 per minute, burst 10")
                    .matching(dev.flowgraph.api.http.RateLimit.FORMAT)
                    .help("While rateLimit is set: the limit of LocalLab's generation routes (/generate, /chat, "
                            + "/generate/batch), LocalLab's own by default."))
            .setting(SettingSpec.integer("port", 5050).range(0, 65535)
                    .help("TCP port to listen on; 0 picks a free one."))
            .setting(SettingSpec.string("host", "0.0.0.0")
                    .help("Address to listen on: 0.0.0.0 for every interface, 127.0.0.1 for this machine only."))
            .setting(SettingSpec.integer("maxBodyBytes", 1_048_576).range(1, 67_108_864)
                    .help("Largest request body accepted; larger ones get 413."))
            .setting(SettingSpec.integer("maxEmbeddingInputs", 256).range(1, 100_000)
                    .help("The most texts one POST /v1/embeddings request may embed; more get 400 naming 'input'."))
            .setting(SettingSpec.integer("timeoutSeconds", 600).range(0, 86_400)
                    .help("Longest a request may run before it is cancelled; 0 for no limit."))
            .setting(SettingSpec.integer("concurrency", 1).range(1, 64)
                    .help("How many requests may stream at once; more get 503 with Retry-After at once. 1, as the "
                            + "API contract says; raise it with the Local LLM's 'parallel' so they are generated "
                            + "together rather than queued."))
            .setting(SettingSpec.number("warmupSeconds", 0.2).range(0, 60)
                    .help("Before it reports ready (/health 200), the server sends itself requests through the flow "
                            + "for up to this long, so that the first clients after a start get their first token as "
                            + "fast as later ones. Meanwhile clients get 503 with Retry-After. 0 turns it off. 0.2 by "
                            + "default: start to ready stays within 1.5 s."))
            .setting(SettingSpec.bool("metrics", false).help("Serve GET /metrics in Prometheus' text format: requests "
                    + "by route and status, streams in flight, time to first token, tokens, refusals by reason, and the "
                    + "JVM's own. Only to this machine unless metricsKey is set. 'flow serve --metrics' turns it on."))
            .setting(SettingSpec.string("metricsKey", "").asSecret().matching("[A-Za-z0-9._~+/=-]*")
                    .help("The key /metrics needs from other machines (Authorization: Bearer or X-API-Key)."))
            .setting(SettingSpec.number("readTimeoutSeconds", 10.0).range(0.1, 3_600)
                    .help("How long a client may take to send its request's headers, and then its body. A body not "
                            + "complete by then is answered 408 and the connection closed; stalled headers close it. "
                            + "A request takes a slot only once its body is complete, so slow clients hold nothing."))
            .setting(SettingSpec.integer("idleTimeoutSeconds", 60).range(1, 86_400)
                    .help("A kept-alive connection with no request for this long is closed."))
            .setting(SettingSpec.integer("maxConnections", 256).range(1, 100_000)
                    .help("Most open client connections; a request on one more is answered 503 and its connection "
                            + "closed."))
            .setting(SettingSpec.integer("keepAliveSeconds", 15).range(1, 3_600)
                    .help("While no token is due, a ': keep-alive' comment is sent this often so proxies "
                            + "keep the stream open."))
            .setting(SettingSpec.choice("record", "full", "full", "metadata", "off")
                    .help("What run history keeps of each run in the store (flow serve --store): full (the messages and "
                            + "the answer too, up to recordMaxChars), metadata (times, status, usage, key name, session "
                            + "and per-node trace only) or off (nothing)."))
            .setting(SettingSpec.integer("recordMaxChars", 65_536).range(0, 16_777_216)
                    .help("The longest answer history keeps whole; a longer one is cut there and its whole length "
                            + "recorded."))
            .setting(SettingSpec.integer("maxRuns", 10_000).range(1, 100_000_000)
                    .help("Run history keeps at most this many runs of this flow; older ones are deleted in the "
                            + "background."))
            .setting(SettingSpec.integer("maxAgeDays", 30).range(1, 36_500)
                    .help("Runs older than this are deleted from history in the background."))
            .setting(SettingSpec.number("sessionTtlDays", 7.0).range(0.000_1, 36_500)
                    .help("A conversation (session_id) with no new message for this long is forgotten."))
            .setting(SettingSpec.choice("sessionBusy", "reject", "reject", "wait")
                    .help("A request for a session that is still answering another: reject answers 409 at once; wait "
                            + "lets it wait (up to readTimeoutSeconds) for the first to finish."))
            .setting(SettingSpec.choice("whileModelLoads", "wait", "wait", "refuse")
                    .help("While a Local LLM loads another model (POST /models/load): wait lets new requests wait for "
                            + "it; refuse answers them 503 model_loading with Retry-After."))
            .setting(SettingSpec.choice("interruptedJobs", "fail", "fail", "requeue")
                    .help("A background job (POST /remotejobs/v2/jobs) this instance was running when its process "
                            + "died: fail marks it failed at the next start; requeue runs it again from the start."))
            .loopBoundary()
            .entry()
            .check((settings, scope) -> settings.string("apiKey").isEmpty() && settings.string("keysFile").isEmpty()
                    ? java.util.List.of(new dev.flowgraph.core.node.SettingProblem("apiKey",
                    "is required (or name a keysFile of named keys)")) : java.util.List.of())
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new ApiElementNode(context);
    }
}
