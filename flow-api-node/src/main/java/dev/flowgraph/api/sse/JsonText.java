package dev.flowgraph.api.sse;

/** Writes JSON string literals into a StringBuilder without building a tree: the per-token path stays cheap. */
public final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    public static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** The usage object every dialect shares: {@code {"prompt_tokens","completion_tokens","total_tokens"}}. */
    public static String usage(dev.flowgraph.core.run.Usage u) {
        return "{\"prompt_tokens\":" + u.promptTokens() + ",\"completion_tokens\":" + u.completionTokens()
                + ",\"total_tokens\":" + u.totalTokens() + "}";
    }
}
