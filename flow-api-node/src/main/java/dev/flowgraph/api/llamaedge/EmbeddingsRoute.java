package dev.flowgraph.api.llamaedge;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.api.http.FullBody;
import dev.flowgraph.api.http.JsonBody;
import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.doc.EmbeddingService;
import dev.flowgraph.core.run.Run;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /v1/embeddings} (LlamaEdge's and OpenAI's): the flow's embedder (an Embeddings or Retrieve node; with
 * several, the request's {@code model} chooses) embeds {@code input}, a string or a list of strings, all in one batch.
 * Vectors come as numbers, or as base64 little-endian floats when {@code encoding_format} asks (OpenAI's SDKs do).
 * Runs on a worker once {@link FullBody} has read the body.
 */
public final class EmbeddingsRoute implements HttpHandler {
    private final ApiElementNode element;
    private final int maxInputs;

    /** @param maxInputs the most texts one request may embed */
    public EmbeddingsRoute(ApiElementNode element, int maxInputs) {
        this.element = element;
        this.maxInputs = maxInputs;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            JsonNode root = JsonBody.object(FullBody.body(exchange), "with \"input\"");
            List<String> texts = inputs(root.get("input"));
            boolean base64 = encoding(root.get("encoding_format"));
            EmbeddingService embedder = Embedders.choose(element, root.get("model"), "/v1/embeddings");
            EmbeddingService.Embedded embedded;
            try {
                embedded = embedder.embedTexts(texts, Run.detached());
            } catch (Exception e) {
                ApiErrors.send(exchange, 500, ApiErrors.RUN_FAILED, "the embedder failed: " + e.getMessage());
                return;
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(answer(embedded.vectors(), embedder.embeddingModel(), embedded.tokens(),
                    base64));
        } catch (BadRequest e) {
            ApiErrors.send(exchange, e.status(), e.status() == 404 ? ApiErrors.NOT_FOUND : ApiErrors.INVALID_REQUEST,
                    e.getMessage(), e.param(), e.code());
        }
    }

    private List<String> inputs(JsonNode input) throws BadRequest {
        if (input == null || input.isNull()) {
            throw new BadRequest("input", "'input' is required: a string or a list of strings to embed");
        }
        List<String> texts = new ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.textValue());
        } else if (input.isArray()) {
            if (input.size() > maxInputs) {
                throw new BadRequest("input", "'input' holds " + input.size() + " texts; at most " + maxInputs
                        + " are embedded in one request");
            }
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isTextual()) {
                    throw new BadRequest("input", "'input[" + i + "]' must be a string (token arrays are not taken)");
                }
                texts.add(input.get(i).textValue());
            }
        } else {
            throw new BadRequest("input", "'input' must be a string or a list of strings");
        }
        if (texts.isEmpty()) {
            throw new BadRequest("input", "'input' is empty: give at least one text");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isEmpty()) {
                throw new BadRequest("input", "'input" + (input.isArray() ? "[" + i + "]" : "")
                        + "' is an empty string: there is nothing to embed");
            }
        }
        return texts;
    }

    private static boolean encoding(JsonNode format) throws BadRequest {
        if (format == null || format.isNull() || (format.isTextual() && format.textValue().equals("float"))) {
            return false;
        }
        if (format.isTextual() && format.textValue().equals("base64")) {
            return true;
        }
        throw new BadRequest("encoding_format", "'encoding_format' must be \"float\" or \"base64\"");
    }

    /** The spec's list: one object per input, in order, then the model and the token count. */
    static String answer(List<float[]> vectors, String model, int tokens, boolean base64) {
        int dims = vectors.isEmpty() ? 0 : vectors.get(0).length;
        StringBuilder b = new StringBuilder(64 + vectors.size() * (base64 ? dims * 6 : dims * 14));
        b.append("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < vectors.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"object\":\"embedding\",\"embedding\":");
            float[] v = vectors.get(i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(v);
                b.append('"').append(Base64.getEncoder().encodeToString(bytes.array())).append('"');
            } else {
                b.append('[');
                for (int j = 0; j < v.length; j++) {
                    // Schubfach (as in Jackson): the shortest text that reads back as the same float, several times
                    // faster than JDK 17's Float.toString on the 12,000 numbers of a batch of 32.
                    b.append(j == 0 ? "" : ",").append(NumberOutput.toString(v[j], true));
                }
                b.append(']');
            }
            b.append('}');
        }
        b.append("],\"model\":");
        JsonText.quote(b, model);
        return b.append(",\"usage\":{\"prompt_tokens\":").append(tokens).append(",\"completion_tokens\":0,\"total_tokens\":")
                .append(tokens).append("}}").toString();
    }
}
