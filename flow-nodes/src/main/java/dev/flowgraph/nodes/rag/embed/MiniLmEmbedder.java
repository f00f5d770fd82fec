package dev.flowgraph.nodes.rag.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.flowgraph.core.run.Run;

import java.util.List;

/**
 * The built-in embedder: all-MiniLM-L6-v2 (quantized, 384 dimensions), shipped inside a jar and run in-process by
 * ONNX Runtime, so retrieval works with no download and no server.
 */
final class MiniLmEmbedder implements Embedder {
    static final String MODEL = "all-MiniLM-L6-v2-q";
    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    /** The model's own BERT word-piece tokenizer (the one the ONNX model is fed with), made on first use. */
    private volatile dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator tokens;

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public int countTokens(String text) {
        if (tokens == null) {
            tokens = new dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator();
        }
        return tokens.estimateTokenCountInText(text);
    }

    @Override
    public List<float[]> embed(List<String> texts, Run run) {
        return embedCounting(texts, run).vectors();
    }

    /** The model counts the word pieces it embeds ([CLS] and [SEP] included): no second pass to count them. */
    @Override
    public dev.flowgraph.core.doc.EmbeddingService.Embedded embedCounting(List<String> texts, Run run) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        var answer = model.embedAll(segments);
        Integer tokens = answer.tokenUsage() == null ? null : answer.tokenUsage().inputTokenCount();
        List<float[]> vectors = answer.content().stream().map(Embedding::vector).toList();
        if (tokens == null) {
            tokens = texts.stream().mapToInt(this::countTokens).sum();
        }
        return new dev.flowgraph.core.doc.EmbeddingService.Embedded(vectors, tokens);
    }
}
