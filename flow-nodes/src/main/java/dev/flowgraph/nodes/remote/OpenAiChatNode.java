package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.ResponseFormat;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.nodes.structured.JsonAnswer;
import dev.flowgraph.nodes.structured.StructuredSettings;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeSettings;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The running OpenAI-compatible chat node: one {@code /chat/completions} call per run, streamed back as deltas. */
final class OpenAiChatNode extends RemoteChatNode {
    private final NodeContext context;
    private final URI endpoint;
    private final ChatCompletions.Dialect dialect;
    private final ChatCompletions.Defaults defaults;
    private final ResponseFormat format;
    private final Outlet jsonOut;

    OpenAiChatNode(NodeContext context) {
        super(context, "chat service at " + trimmed(context.settings().string("baseUrl")));
        this.context = context;
        NodeSettings s = context.settings();
        this.format = StructuredSettings.format(s);
        this.jsonOut = format.isJson() ? context.output(StructuredSettings.JSON_OUT.name()) : null;
        this.endpoint = URI.create(trimmed(s.string("baseUrl")) + "/chat/completions");
        this.dialect = ChatCompletions.Dialect.of(s.string("dialect"));
        this.defaults = new ChatCompletions.Defaults(s.string("model"), s.bool("stream"), s.integer("maxTokens"),
                s.number("temperature"), s.number("topP"), s.number("presencePenalty"), s.number("frequencyPenalty"));
    }

    /** Every format whose schema is usable: sent as the request's response_format, and the answer checked when it ends. */
    @Override
    public String refuses(ResponseFormat asked) {
        return asked.kind() == ResponseFormat.Kind.JSON_SCHEMA ? JsonAnswer.problem(asked.schema()) : null;
    }

    private ResponseFormat formatOf(ChatRequest request) {
        return request.options().responseFormat() != null ? request.options().responseFormat() : format;
    }

    @Override
    protected AnswerStream answerStream(Run run, ChatRequest request, Outlet text) {
        ResponseFormat shape = formatOf(request);
        if (!shape.isJson()) {
            return super.answerStream(run, request, text);
        }
        int maxTokens = request.options().maxTokens() != null ? request.options().maxTokens() : defaults.maxTokens();
        return new AnswerStream(run, text, context.nodeId(), JsonAnswer.of(shape), jsonOut, maxTokens);
    }

    @Override
    protected void answer(RemoteHttp.Call call, ChatRequest request, AnswerStream answer) throws RemoteCallException {
        HttpRequest.Builder post = request(endpoint, defaults.stream() ? "text/event-stream" : "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        ChatCompletions.requestBody(request, defaults, dialect, formatOf(request))));
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
