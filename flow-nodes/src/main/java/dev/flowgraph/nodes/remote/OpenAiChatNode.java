package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeSettings;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The running OpenAI-compatible chat node: one {@code /chat/completions} call per run, streamed back as deltas. */
final class OpenAiChatNode extends RemoteChatNode {
    private final URI endpoint;
    private final ChatCompletions.Dialect dialect;
    private final ChatCompletions.Defaults defaults;

    OpenAiChatNode(NodeContext context) {
        super(context, "chat service at " + trimmed(context.settings().string("baseUrl")));
        NodeSettings s = context.settings();
        this.endpoint = URI.create(trimmed(s.string("baseUrl")) + "/chat/completions");
        this.dialect = ChatCompletions.Dialect.of(s.string("dialect"));
        this.defaults = new ChatCompletions.Defaults(s.string("model"), s.bool("stream"), s.integer("maxTokens"),
                s.number("temperature"), s.number("topP"), s.number("presencePenalty"), s.number("frequencyPenalty"));
    }

    @Override
    protected void answer(RemoteHttp.Call call, ChatRequest request, AnswerStream answer) throws RemoteCallException {
        HttpRequest.Builder post = request(endpoint, defaults.stream() ? "text/event-stream" : "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ChatCompletions.requestBody(request, defaults, dialect)));
        HttpResponse<InputStream> response = call.sendExpectingSuccess(post);
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.contains("event-stream")) {
            // Each data line is one whole JSON chunk; event names, comments and blank separators are skipped.
            call.lines(response, line -> {
                String data = ChatCompletions.sseData(line).orElse(null);
                if (data == null || data.isBlank()) {
                    return true;
                }
                if (data.strip().equals("[DONE]")) {
                    return false;
                }
                answer.piece(ChatCompletions.parse(http.service(), data));
                return true;
            });
        } else {
            answer.piece(ChatCompletions.parse(http.service(), call.text(response)));
        }
        answer.end();
    }
}
