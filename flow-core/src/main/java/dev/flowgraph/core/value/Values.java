package dev.flowgraph.core.value;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.doc.Document;

/**
 * The conversions between what travels on wires, where a user expects them: TEXT and JSON wire into each other (text
 * is parsed, a value is written as JSON), and a conversation reads as its last user message.
 */
public final class Values {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 24;

    private Values() {
    }

    /** The text form: a string as it is, a JSON string's content, other JSON compact, a conversation's last user message. */
    public static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof JsonNode node) {
            return node.isTextual() ? node.textValue() : node.toString();
        }
        if (value instanceof ChatRequest chat) {
            return chat.lastUserMessage().map(ChatMessage::content).orElse("");
        }
        if (value instanceof Document doc) {
            return doc.text();
        }
        return String.valueOf(value);
    }

    /** The JSON form: a value as it is, text parsed (see {@link #parse}), a conversation as its last user message. */
    public static JsonNode json(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof String s) {
            return parse(s);
        }
        return TextNode.valueOf(text(value));
    }

    /** A value as JSON when it is such, else as a JSON string; never fails (for results gathered from several inputs). */
    public static JsonNode jsonOrText(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        return value == null ? JsonNodeFactory.instance.nullNode() : TextNode.valueOf(text(value));
    }

    /**
     * Parses JSON text.
     *
     * @throws IllegalArgumentException saying where it stops being JSON, with the text around that place quoted
     */
    public static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("not JSON: the text is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String what = e.getOriginalMessage();
            int cut = what.indexOf('\n');
            what = cut < 0 ? what : what.substring(0, cut);
            if (at == null) {
                throw new IllegalArgumentException("not JSON: " + what);
            }
            int offset = (int) Math.max(0, Math.min(text.length(), at.getCharOffset()));
            throw new IllegalArgumentException("not JSON at line " + at.getLineNr() + ", column " + at.getColumnNr()
                    + " (" + what + "): " + excerpt(text, offset));
        }
    }

    /** The text around {@code offset}, with the place marked: {@code …"a": »}…}. */
    static String excerpt(String text, int offset) {
        int from = Math.max(0, offset - EXCERPT);
        int to = Math.min(text.length(), offset + EXCERPT);
        return (from > 0 ? "…" : "") + text.substring(from, offset).replace('\n', ' ') + "»"
                + text.substring(offset, to).replace('\n', ' ') + (to < text.length() ? "…" : "");
    }
}
