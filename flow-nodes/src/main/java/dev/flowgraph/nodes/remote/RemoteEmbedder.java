package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.nodes.rag.embed.Embedder;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Embeddings from an OpenAI-compatible {@code POST /embeddings} (LlamaEdge, OpenAI, llama.cpp's server...): all the
 * texts of a batch go in one request's {@code input}, the vectors come back in {@code data[].embedding}, placed by
 * their {@code index}.
 */
public final class RemoteEmbedder implements Embedder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final RemoteHttp http;

    public RemoteEmbedder(String baseUrl, String model, String apiKey) {
        this.endpoint = URI.create(RemoteChatNode.trimmed(baseUrl) + "/embeddings");
        this.model = model;
        this.apiKey = apiKey;
        this.http = new RemoteHttp("the embeddings service at " + endpoint, Duration.ofSeconds(10),
                Duration.ofSeconds(120));
        http.start();
    }

    @Override
    public String model() {
        return "remote:" + (model.isEmpty() ? endpoint.toString() : model);
    }

    @Override
    public List<float[]> embed(List<String> texts, Run run) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        if (!model.isEmpty()) {
            body.put("model", model);
        }
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        try (RemoteHttp.Call call = http.call(run)) {
            String answer = call.text(call.sendExpectingSuccess(RemoteHttp.postJson(endpoint, apiKey, body.toString())));
            return vectors(answer, texts.size());
        }
    }

    private List<float[]> vectors(String answer, int expected) throws RemoteCallException {
        JsonNode data;
        try {
            data = JSON.readTree(answer).path("data");
        } catch (java.io.IOException e) {
            throw new RemoteCallException(http.service() + " sent a body that is not JSON: " + ServiceErrors.abbreviate(answer));
        }
        if (!data.isArray() || data.size() != expected) {
            throw new RemoteCallException(http.service() + " sent " + (data.isArray() ? data.size() : "no")
                    + " embeddings for " + expected + " inputs");
        }
        float[][] vectors = new float[expected][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.path("index").asInt(i);
            JsonNode values = item.path("embedding");
            if (index < 0 || index >= expected || vectors[index] != null || !values.isArray() || values.isEmpty()) {
                throw new RemoteCallException(http.service() + " sent a malformed embedding at data[" + i + "]");
            }
            float[] v = new float[values.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) values.get(j).asDouble();
            }
            vectors[index] = v;
        }
        return new ArrayList<>(Arrays.asList(vectors));
    }

    @Override
    public void close() {
        http.close();
    }
}
