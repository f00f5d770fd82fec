package dev.flowgraph.nodes.rag;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkerTest {

    @Test
    void keepsParagraphsWholeWhenTheyFit() {
        String text = "First paragraph, about cats.\n\nSecond paragraph, about dogs.\n\n\nThird one, about birds.";
        List<String> chunks = new Chunker(60, 0, 0).split(text);
        assertThat(chunks).containsExactly("First paragraph, about cats.\n\nSecond paragraph, about dogs.",
                "Third one, about birds.");
    }

    @Test
    void cutsLongParagraphsBetweenSentencesAndRepeatsTheOverlap() {
        String text = "One sentence here. Two sentence here. Three sentence here. Four sentence here. Five here.";
        List<String> chunks = new Chunker(60, 20, 0).split(text);
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(60));
        assertThat(chunks).hasSize(2).allSatisfy(c -> assertThat(c).endsWith("."));
        // each chunk after the first begins with the last sentence of the one before
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1);
            String lastSentence = previous.substring(previous.lastIndexOf(". ") + 2);
            assertThat(chunks.get(i)).startsWith(lastSentence);
        }
        assertThat(String.join(" ", chunks)).contains("One sentence here.", "Five here.");
    }

    @Test
    void cutsOverlongSentencesBetweenWords() {
        String text = "word ".repeat(100).strip();
        List<String> chunks = new Chunker(50, 0, 0).split(text);
        assertThat(chunks).hasSizeGreaterThan(8).allSatisfy(c -> {
            assertThat(c.length()).isLessThanOrEqualTo(50);
            assertThat(c).doesNotContain("wo rd").startsWith("word").endsWith("word");
        });
    }

    @Test
    void dropsChunksShorterThanTheMinimum() {
        assertThat(new Chunker(30, 0, 10).split("Tiny.\n\nThis paragraph is long enough.")).containsExactly(
                "This paragraph is long enough.");
    }

    @Test
    void refusesAnOverlapThatIsNotSmallerThanTheSize() {
        assertThatThrownBy(() -> new Chunker(100, 100, 0)).hasMessageContaining("overlap (100)")
                .hasMessageContaining("less than the chunk size (100)");
    }
}
