package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.chat.ChatInput;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * What the remote model nodes have in common: a chat input, an answer output named {@code text}, and one
 * {@link RemoteHttp.Call} per run on a worker thread. Subclasses only speak their service's wire format.
 */
abstract class RemoteChatNode implements NodeBehavior, dev.flowgraph.core.chat.ChatModel {
    private final NodeContext context;
    private final Outlet out;
    private final ChatInput chat;
    private final String apiKey;
    protected final RemoteHttp http;

    /** Reads the settings every remote node has: apiKey, connectTimeoutSeconds and readTimeoutSeconds. */
    RemoteChatNode(NodeContext context, String service) {
        this.context = context;
        NodeSettings s = context.settings();
        this.out = context.output("text");
        this.chat = new ChatInput(out, (run, request) -> context.workers().execute(() -> answer(run, request)));
        this.apiKey = s.string("apiKey");
        this.http = new RemoteHttp(service, Duration.ofSeconds(s.integer("connectTimeoutSeconds")),
                Duration.ofSeconds(s.integer("readTimeoutSeconds")));
    }

    @Override
    public String modelNodeId() {
        return context.nodeId();
    }

    /** Most services' APIs have no response_format; the OpenAI-compatible node's has. */
    @Override
    public String refuses(dev.flowgraph.core.chat.ResponseFormat format) {
        return format.isJson() ? "its service's API has no way to ask for " + format.kind().wireName() + " answers" : null;
    }

    /** A base URL as typed, without the trailing slashes that would double up in front of a path. */
    static String trimmed(String baseUrl) {
        return baseUrl.replaceAll("/+$", "");
    }

    /** A request to the service: the answer type it should send, and the key as a Bearer token when there is one. */
    protected HttpRequest.Builder request(URI uri, String accept) {
        return RemoteHttp.request(uri, accept, apiKey);
    }

    @Override
    public void start() {
        http.start();
    }

    @Override
    public void receive(String inputPort, Packet packet) {
        chat.receive(packet);
    }

    private void answer(Run run, ChatRequest request) {
        AnswerStream answer = answerStream(run, request, out);
        try (RemoteHttp.Call call = http.call(run)) {
            answer(call, request, answer);
        } catch (RemoteCallException e) {
            if (run.isCancelled()) {
                answer.cancelled();
            } else {
                answer.fail(e.getMessage());
            }
        }
    }

    /** How this node sends an answer on; a node whose answers may have to be JSON checks them there. */
    protected AnswerStream answerStream(Run run, ChatRequest request, Outlet text) {
        return new AnswerStream(run, text, context.nodeId());
    }

    /** Asks the service for the answer to {@code request} and streams it into {@code answer}, ending it. */
    protected abstract void answer(RemoteHttp.Call call, ChatRequest request, AnswerStream answer)
            throws RemoteCallException;

    @Override
    public void close() {
        http.close();
    }
}
