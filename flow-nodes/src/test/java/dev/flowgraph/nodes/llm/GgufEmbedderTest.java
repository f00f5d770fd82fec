package dev.flowgraph.nodes.llm;

import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Embeddings from the test GGUF through llama.cpp, and the guard against pooling types that abort the process. */
class GgufEmbedderTest {
    private final Path model = TestModels.stories();

    @Test
    void lastPoolingGivesDistinctVectors() {
        try (GgufEmbedder embedder = GgufEmbedder.open(model, List.of(model), "last")) {
            List<float[]> v = embedder.embed(List.of("Once upon a time there was a cat.", "The dog ran to the park."),
                    Run.detached());
            assertThat(v).hasSize(2).allSatisfy(x -> assertThat(x).hasSize(64));
            assertThat(Arrays.equals(v.get(0), v.get(1))).isFalse();
            assertThat(embedder.model()).isEqualTo("gguf:stories260K.gguf pooling last");
        }
    }

    @Test
    void poolingThatAbortsLlamaCppIsRefusedAndThisJvmStaysUp() {
        // With this model, mean pooling hits a GGML_ASSERT that would abort the whole process.
        assertThatThrownBy(() -> GgufEmbedder.open(model, List.of(model), "mean"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pooling 'mean' cannot be used with stories260K.gguf")
                .hasMessageContaining("llama.cpp aborted")
                .hasMessageContaining("works with 'last'");
        // Still here, and llama.cpp still works in-process.
        try (GgufEmbedder embedder = GgufEmbedder.open(model, List.of(model), "last")) {
            assertThat(embedder.embed(List.of("still alive"), Run.detached()).get(0)).hasSize(64);
        }
    }

    @Test
    void poolingThatGivesEveryTextTheSameVectorIsRefused() {
        assertThatThrownBy(() -> GgufEmbedder.open(model, List.of(model), "none"))
                .hasMessageContaining("pooling 'none' cannot be used")
                .hasMessageContaining("gives every text the same vector");
    }

    @Test
    void aMissingModelSaysWhereToPutIt() {
        Path missing = Path.of("models/nothing-here.gguf").toAbsolutePath();
        assertThatThrownBy(() -> GgufEmbedder.open(missing, List.of(missing), "last"))
                .hasMessageContaining("model file not found").hasMessageContaining("fetch-models.sh");
    }
}
