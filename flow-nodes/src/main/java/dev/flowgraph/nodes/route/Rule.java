package dev.flowgraph.nodes.route;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.value.Values;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A condition on a run's value, written as one line: {@code equals TEXT}, {@code contains TEXT},
 * {@code starts with TEXT}, {@code ends with TEXT}, {@code regex PATTERN}, {@code length OP N}, {@code number OP N},
 * {@code json POINTER exists}, {@code json POINTER equals VALUE}, {@code json POINTER OP N} or {@code always}, where
 * OP is one of {@code = != < <= > >=}. Text rules read the value as text, {@code json} rules as JSON.
 * <p>
 * Rules on the start of a text ({@code starts with}, {@code equals}, {@code contains}) can often decide on the first
 * pieces of a stream ({@link #decide}); the others wait for the whole text.
 */
public sealed interface Rule {
    /** The syntax, for help texts. */
    String SYNTAX = "equals TEXT, contains TEXT, starts with TEXT, ends with TEXT, regex PATTERN, length OP N, "
            + "number OP N, json /pointer exists, json /pointer equals VALUE, json /pointer OP N, always "
            + "(OP: = != < <= > >=)";

    enum Verdict { TRUE, FALSE, UNKNOWN }

    /**
     * Decides on a value seen so far.
     *
     * @param value    the text so far (or the whole value when {@code complete})
     * @param complete whether the stream has ended
     */
    Verdict decide(Object value, boolean complete);

    default boolean test(Object value) {
        return decide(value, true) == Verdict.TRUE;
    }

    /**
     * Reads a rule.
     *
     * @throws IllegalArgumentException saying what is wrong (a regex that does not compile, a malformed pointer)
     */
    static Rule parse(String line, boolean ignoreCase) {
        String s = line.strip();
        if (s.equals("always")) {
            return new Always();
        }
        String lower = s.toLowerCase(Locale.ROOT);
        for (TextRule.Kind kind : TextRule.Kind.values()) {
            String word = kind.word;
            if (lower.startsWith(word + " ")) {
                return new TextRule(kind, s.substring(word.length() + 1), ignoreCase);
            }
        }
        if (lower.startsWith("regex ")) {
            String pattern = s.substring(6);
            try {
                return new RegexRule(Pattern.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("the regex '" + pattern + "' does not compile: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }
        if (lower.startsWith("length ") || lower.startsWith("number ")) {
            return new Comparison(lower.startsWith("length"), null, compare(s.substring(7), s));
        }
        if (lower.startsWith("json ")) {
            String rest = s.substring(5).strip();
            int space = rest.indexOf(' ');
            String pointer = space < 0 ? rest : rest.substring(0, space);
            JsonPointer at = pointer(pointer);
            String test = space < 0 ? "" : rest.substring(space + 1).strip();
            if (test.equals("exists")) {
                return new JsonExists(at);
            }
            if (test.startsWith("equals ")) {
                return new JsonEquals(at, literal(test.substring(7).strip()));
            }
            return new Comparison(false, at, compare(test, s));
        }
        throw new IllegalArgumentException("'" + s + "' is not a rule; write one of: " + SYNTAX);
    }

    /** Checks a JSON Pointer ({@code ""} or {@code /a/0/b}). */
    static JsonPointer pointer(String pointer) {
        try {
            return JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + pointer + "' is not a JSON Pointer (it starts with '/', as in "
                    + "/answer/0/text): " + e.getMessage());
        }
    }

    private static JsonNode literal(String text) {
        try {
            return Values.parse(text);
        } catch (IllegalArgumentException e) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
        }
    }

    private static Compare compare(String test, String rule) {
        Matcher m = Pattern.compile("(!=|<=|>=|=|<|>)\\s*(-?[0-9]+(?:\\.[0-9]+)?)").matcher(test.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + rule + "' needs a comparison such as '> 10' (= != < <= > >=)");
        }
        return new Compare(m.group(1), Double.parseDouble(m.group(2)));
    }

    record Compare(String op, double operand) {
        boolean holds(double v) {
            return switch (op) {
                case "=" -> v == operand;
                case "!=" -> v != operand;
                case "<" -> v < operand;
                case "<=" -> v <= operand;
                case ">" -> v > operand;
                default -> v >= operand;
            };
        }
    }

    record Always() implements Rule {
        public Verdict decide(Object value, boolean complete) {
            return Verdict.TRUE;
        }
    }

    record TextRule(Kind kind, String operand, boolean ignoreCase) implements Rule {
        enum Kind {
            EQUALS("equals"), CONTAINS("contains"), STARTS("starts with"), ENDS("ends with");
            final String word;

            Kind(String word) {
                this.word = word;
            }
        }

        public Verdict decide(Object value, boolean complete) {
            String text = Values.text(value);
            String a = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
            String b = ignoreCase ? operand.toLowerCase(Locale.ROOT) : operand;
            return switch (kind) {
                case EQUALS -> complete ? of(a.equals(b)) : b.startsWith(a) ? Verdict.UNKNOWN : Verdict.FALSE;
                case STARTS -> a.length() >= b.length() ? of(a.startsWith(b))
                        : complete || !b.startsWith(a) ? Verdict.FALSE : Verdict.UNKNOWN;
                case CONTAINS -> a.contains(b) ? Verdict.TRUE : complete ? Verdict.FALSE : Verdict.UNKNOWN;
                case ENDS -> complete ? of(a.endsWith(b)) : Verdict.UNKNOWN;
            };
        }
    }

    record RegexRule(Pattern pattern) implements Rule {
        public Verdict decide(Object value, boolean complete) {
            return complete ? of(pattern.matcher(Values.text(value)).find()) : Verdict.UNKNOWN;
        }
    }

    /** {@code length OP N} (characters), {@code number OP N}, or {@code json POINTER OP N}. */
    record Comparison(boolean length, JsonPointer at, Compare compare) implements Rule {
        public Verdict decide(Object value, boolean complete) {
            if (!complete) {
                return Verdict.UNKNOWN;
            }
            if (length) {
                return of(compare.holds(Values.text(value).length()));
            }
            try {
                JsonNode node = at == null ? Values.json(value) : Values.json(value).at(at);
                double v = node.isNumber() ? node.doubleValue() : Double.parseDouble(node.asText().strip());
                return of(compare.holds(v));
            } catch (IllegalArgumentException e) { // not JSON, not a number: the rule does not hold
                return Verdict.FALSE;
            }
        }
    }

    record JsonExists(JsonPointer at) implements Rule {
        public Verdict decide(Object value, boolean complete) {
            return complete ? of(asJson(value).map(n -> !n.at(at).isMissingNode()).orElse(false)) : Verdict.UNKNOWN;
        }
    }

    record JsonEquals(JsonPointer at, JsonNode expected) implements Rule {
        public Verdict decide(Object value, boolean complete) {
            return complete ? of(asJson(value).map(n -> n.at(at).equals(expected)).orElse(false)) : Verdict.UNKNOWN;
        }
    }

    private static java.util.Optional<JsonNode> asJson(Object value) {
        try {
            return java.util.Optional.of(Values.json(value));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static Verdict of(boolean b) {
        return b ? Verdict.TRUE : Verdict.FALSE;
    }
}
