package dev.flowgraph.nodes.rag;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits text into chunks of at most {@code size} characters. It cuts between paragraphs where it can, else between
 * sentences, else between words; a new chunk begins with the last pieces of the one before, up to {@code overlap}
 * characters, so a thought cut in two is found from either side. Chunks shorter than {@code minLength} are dropped.
 */
record Chunker(int size, int overlap, int minLength) {
    private static final Pattern PARAGRAPHS = Pattern.compile("\\n\\s*\\n");

    Chunker {
        if (size < 1 || overlap < 0 || overlap >= size) {
            throw new IllegalArgumentException("overlap (" + overlap + ") must be at least 0 and less than the "
                    + "chunk size (" + size + ")");
        }
    }

    /** A piece of text that is never cut further, and whether a paragraph starts with it. */
    private record Piece(String text, boolean paragraphStart) {
    }

    List<String> split(String text) {
        List<String> chunks = new ArrayList<>();
        List<Piece> current = new ArrayList<>();
        int length = 0;
        for (Piece piece : pieces(text)) {
            if (!current.isEmpty() && length + separator(piece).length() + piece.text().length() > size) {
                chunks.add(join(current));
                current = overlapOf(current, piece);
                length = join(current).length();
            }
            length += (current.isEmpty() ? 0 : separator(piece).length()) + piece.text().length();
            current.add(piece);
        }
        if (!current.isEmpty()) {
            chunks.add(join(current));
        }
        chunks.removeIf(c -> c.strip().length() < minLength);
        return chunks;
    }

    /** The last pieces of a finished chunk that fit in the overlap and leave room for the next piece. */
    private List<Piece> overlapOf(List<Piece> finished, Piece next) {
        List<Piece> kept = new ArrayList<>();
        int length = 0;
        for (int i = finished.size() - 1; i >= 0; i--) {
            Piece p = finished.get(i);
            int grown = length + p.text().length() + (kept.isEmpty() ? 0 : 1);
            if (grown > overlap || grown + 2 + next.text().length() > size) {
                break;
            }
            kept.add(0, p);
            length = grown;
        }
        return kept;
    }

    private static String separator(Piece piece) {
        return piece.paragraphStart() ? "\n\n" : " ";
    }

    private static String join(List<Piece> pieces) {
        StringBuilder text = new StringBuilder();
        for (Piece p : pieces) {
            if (text.length() > 0) {
                text.append(separator(p));
            }
            text.append(p.text());
        }
        return text.toString();
    }

    /** Paragraphs that fit; longer ones as sentences; longer sentences as runs of words (or hard cuts). */
    private List<Piece> pieces(String text) {
        List<Piece> pieces = new ArrayList<>();
        for (String paragraph : PARAGRAPHS.split(text)) {
            String p = paragraph.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.length() <= size) {
                pieces.add(new Piece(p, true));
                continue;
            }
            boolean first = true;
            for (String sentence : sentences(p)) {
                for (String part : sentence.length() <= size ? List.of(sentence) : words(sentence)) {
                    pieces.add(new Piece(part, first));
                    first = false;
                }
            }
        }
        return pieces;
    }

    private static List<String> sentences(String paragraph) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(paragraph);
        List<String> sentences = new ArrayList<>();
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String s = paragraph.substring(start, end).strip();
            if (!s.isEmpty()) {
                sentences.add(s);
            }
        }
        return sentences;
    }

    private List<String> words(String sentence) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (start < sentence.length()) {
            int end = Math.min(sentence.length(), start + size);
            if (end < sentence.length()) {
                int space = sentence.lastIndexOf(' ', end);
                if (space > start) {
                    end = space;
                }
            }
            String part = sentence.substring(start, end).strip();
            if (!part.isEmpty()) {
                parts.add(part);
            }
            start = end;
        }
        return parts;
    }
}
