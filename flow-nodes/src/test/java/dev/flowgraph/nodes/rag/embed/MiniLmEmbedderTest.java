package dev.flowgraph.nodes.rag.embed;

import dev.flowgraph.core.run.Run;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in embedder, with the real all-MiniLM-L6-v2 model from its jar. */
class MiniLmEmbedderTest {

    @Test
    void aParaphraseIsCloserThanAnUnrelatedSentence() throws Exception {
        try (Embedder embedder = new MiniLmEmbedder()) {
            List<float[]> v = embedder.embed(List.of(
                    "How do I keep my API key out of the flow file?",
                    "Secrets can be read from an environment variable instead of being saved in the flow.",
                    "The recipe needs two cups of flour and a pinch of salt."), Run.detached());
            assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).hasSize(384));
            double paraphrase = cosine(v.get(0), v.get(1));
            double unrelated = cosine(v.get(0), v.get(2));
            assertThat(paraphrase).isGreaterThan(unrelated + 0.2);
            assertThat(embedder.model()).isEqualTo("all-MiniLM-L6-v2-q");
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }
}
