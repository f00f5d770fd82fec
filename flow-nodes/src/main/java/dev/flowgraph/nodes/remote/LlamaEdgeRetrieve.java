package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.nodes.rag.RetrievalNode;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Retrieval from a LlamaEdge server's knowledge base: {@code POST /v1/retrieve} with the conversation; its
 * {@code points} become passages, so a remote knowledge base drops in where the local Retrieve node would be.
 */
public final class LlamaEdgeRetrieve implements NodeType {
    public static final String TYPE = "rag.llamaedge";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "LlamaEdge retrieve")
            .category("Retrieval")
            .description("Asks a LlamaEdge server's /v1/retrieve for the passages closest to the conversation; "
                    + "passes them on like the Retrieve node (each with its score; the source names the server).")
            .input(RetrievalNode.CHAT_IN)
            .output(RetrievalNode.CHAT_OUT)
            .output(RetrievalNode.DOCUMENTS_OUT)
            .setting(RemoteSettings.baseUrl("http://localhost:8080/v1", "The server's API base; /retrieve is added."))
            .setting(SettingSpec.string("model", "")
                    .help("The embedding model name sent with the request (as the server lists it)."))
            .setting(RemoteSettings.apiKey("Sent as a Bearer token when set."))
            .setting(RemoteSettings.CONNECT_TIMEOUT)
            .setting(RemoteSettings.READ_TIMEOUT)
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        URI endpoint = URI.create(RemoteChatNode.trimmed(context.settings().string("baseUrl")) + "/retrieve");
        String model = context.settings().string("model");
        String apiKey = context.settings().string("apiKey");
        RemoteHttp http = new RemoteHttp("LlamaEdge at " + endpoint, Duration.ofSeconds(context.settings()
                .integer("connectTimeoutSeconds")), Duration.ofSeconds(context.settings().integer("readTimeoutSeconds")));
        return new RetrievalNode(context) {
            @Override
            public void start() {
                http.start();
            }

            @Override
            protected List<Document> retrieve(Run run, ChatRequest request) throws RemoteCallException {
                try (RemoteHttp.Call call = http.call(run)) {
                    String body = requestBody(request, model);
                    return points(call.text(call.sendExpectingSuccess(RemoteHttp.postJson(endpoint, apiKey, body))),
                            http.service(), endpoint.toString());
                }
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    static String requestBody(ChatRequest request, String model) {
        ObjectNode body = JSON.createObjectNode();
        ChatCompletions.putMessages(body, request);
        if (!model.isEmpty()) {
            body.put("model", model);
        }
        return body.toString();
    }

    /** The answer's points as passages; the server writes each passage's text as a JSON string inside the string. */
    static List<Document> points(String answer, String service, String source) throws RemoteCallException {
        JsonNode points;
        try {
            points = JSON.readTree(answer).path("points");
        } catch (IOException e) {
            throw new RemoteCallException(service + " sent a body that is not JSON: " + ServiceErrors.abbreviate(answer));
        }
        if (!points.isArray()) {
            throw new RemoteCallException(service + " sent no 'points' list: " + ServiceErrors.abbreviate(answer));
        }
        List<Document> found = new ArrayList<>(points.size());
        for (JsonNode point : points) {
            JsonNode text = point.path("source");
            JsonNode score = point.path("score");
            if (!text.isTextual() || !score.isNumber()) {
                throw new RemoteCallException(service + " sent a point without a text 'source' and a numeric 'score'");
            }
            found.add(Document.of(unquoted(text.asText()), source).scored(score.asDouble()));
        }
        return found;
    }

    private static String unquoted(String source) {
        if (source.length() >= 2 && source.startsWith("\"") && source.endsWith("\"")) {
            try {
                return JSON.readValue(source, String.class);
            } catch (IOException e) {
                return source; // not JSON after all: keep it as it came
            }
        }
        return source;
    }
}
