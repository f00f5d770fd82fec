package dev.flowgraph.nodes.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A template read into literal parts and {@code {{name}}} placeholders, in order.
 *
 * @param parts each a {@link Literal} or a {@link Slot}
 */
record TemplateText(List<Part> parts) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    sealed interface Part permits Literal, Slot {
    }

    record Literal(String text) implements Part {
    }

    record Slot(String name) implements Part {
    }

    /** The placeholder names, each once, in the order they first appear. */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Part part : parts) {
            if (part instanceof Slot slot) {
                names.add(slot.name());
            }
        }
        return names;
    }

    /**
     * Reads a template.
     *
     * @throws IllegalArgumentException at an unclosed {@code {{} or a placeholder that is not a name, saying where
     */
    static TemplateText parse(String template) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Literal(template.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(new Literal(template.substring(at, open)));
            }
            int close = template.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("has an unclosed '{{' at character " + (open + 1)
                        + ": close it with '}}'");
            }
            String name = template.substring(open + 2, close).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("has '{{" + template.substring(open + 2, close) + "}}' at character "
                        + (open + 1) + ", which is not a placeholder name (a letter or '_', then letters, digits, '_')");
            }
            parts.add(new Slot(name));
            at = close + 2;
        }
        return new TemplateText(parts);
    }

    /** The names of a template that may not read; none when it does not (the check reports it). */
    static Set<String> namesOrNone(String template) {
        try {
            return parse(template).names();
        } catch (IllegalArgumentException e) {
            return Set.of();
        }
    }
}
