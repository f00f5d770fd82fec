package dev.flowgraph.core.node;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One setting of a node type: its type, default, limits and help. The runtime, the validator, the editor's
 * property sheet and {@code flow nodes} all read it from here.
 *
 * @param defaultValue  used when the flow file leaves the setting out; null for none
 * @param min           inclusive lower bound for numbers, or null
 * @param max           inclusive upper bound for numbers, or null
 * @param choices       allowed values of a CHOICE setting
 * @param secret        masked in the editor, never logged; may (and should) be given as {@code ${env:NAME}}
 * @param required      must have a non-empty value
 * @param pattern       a regular expression a string value must match in full, or null
 * @param autoAllowed   an INTEGER setting that also accepts the word {@code auto}
 */
public record SettingSpec(String name, SettingType type, Object defaultValue, Double min, Double max,
                          List<String> choices, boolean secret, boolean required, String help, String pattern,
                          boolean autoAllowed) {

    public static final String AUTO = "auto";

    public SettingSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices == null ? List.of() : choices);
        help = help == null ? "" : help;
    }

    public static SettingSpec of(String name, SettingType type, Object defaultValue) {
        return new SettingSpec(name, type, defaultValue, null, null, List.of(), false, false, "", null, false);
    }

    public static SettingSpec string(String name, String defaultValue) {
        return of(name, SettingType.STRING, defaultValue);
    }

    public static SettingSpec text(String name, String defaultValue) {
        return of(name, SettingType.TEXT, defaultValue);
    }

    public static SettingSpec integer(String name, Integer defaultValue) {
        return of(name, SettingType.INTEGER, defaultValue);
    }

    public static SettingSpec number(String name, Double defaultValue) {
        return of(name, SettingType.NUMBER, defaultValue);
    }

    public static SettingSpec bool(String name, boolean defaultValue) {
        return of(name, SettingType.BOOLEAN, defaultValue);
    }

    public static SettingSpec path(String name) {
        return of(name, SettingType.PATH, null);
    }

    public static SettingSpec stringList(String name) {
        return of(name, SettingType.STRING_LIST, List.of());
    }

    public static SettingSpec choice(String name, String defaultValue, String... choices) {
        return new SettingSpec(name, SettingType.CHOICE, defaultValue, null, null, List.of(choices), false, false,
                "", null, false);
    }

    public SettingSpec range(double min, double max) {
        return new SettingSpec(name, type, defaultValue, min, max, choices, secret, required, help, pattern, autoAllowed);
    }

    public SettingSpec withDefault(Object value) {
        return new SettingSpec(name, type, value, min, max, choices, secret, required, help, pattern, autoAllowed);
    }

    public SettingSpec help(String help) {
        return new SettingSpec(name, type, defaultValue, min, max, choices, secret, required, help, pattern, autoAllowed);
    }

    public SettingSpec asSecret() {
        return new SettingSpec(name, type, defaultValue, min, max, choices, true, required, help, pattern, autoAllowed);
    }

    public SettingSpec asRequired() {
        return new SettingSpec(name, type, defaultValue, min, max, choices, secret, true, help, pattern, autoAllowed);
    }

    public SettingSpec matching(String regex) {
        return new SettingSpec(name, type, defaultValue, min, max, choices, secret, required, help, regex, autoAllowed);
    }

    /** An INTEGER that may also be {@code auto}; the default becomes {@code auto}. */
    public SettingSpec orAuto() {
        return new SettingSpec(name, type, AUTO, min, max, choices, secret, required, help, pattern, true);
    }

    /** Whether the value is a reference to an environment variable, resolved when the flow starts. */
    public static boolean isEnvReference(Object value) {
        return value instanceof String s && EnvReference.PATTERN.matcher(s).matches();
    }

    /**
     * Checks a value (already taken from the file or the default) against this setting.
     *
     * @return a sentence saying what is wrong, or empty when the value is fine
     */
    public Optional<String> check(Object value) {
        if (value == null || (value instanceof String s && s.isEmpty() && type != SettingType.TEXT)) {
            return required ? Optional.of("is required") : Optional.empty();
        }
        if (isEnvReference(value)) {
            return switch (type) {
                case STRING, TEXT, PATH -> Optional.empty();
                default -> Optional.of("cannot come from an environment variable (only text settings can)");
            };
        }
        return switch (type) {
            case STRING, TEXT, PATH -> value instanceof String s ? checkPattern(s) : expected("text", value);
            case BOOLEAN -> value instanceof Boolean ? Optional.empty() : expected("true or false", value);
            case CHOICE -> value instanceof String s && choices.contains(s)
                    ? Optional.empty()
                    : Optional.of("must be one of " + choices + ", not " + describe(value));
            case STRING_LIST -> value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)
                    ? Optional.empty()
                    : expected("a list of strings", value);
            case INTEGER -> checkInteger(value);
            case NUMBER -> value instanceof Number n ? checkRange(n.doubleValue()) : expected("a number", value);
        };
    }

    private Optional<String> checkInteger(Object value) {
        if (autoAllowed && AUTO.equals(value)) {
            return Optional.empty();
        }
        boolean whole = value instanceof Integer || value instanceof Long
                || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    && !(value instanceof Double d && d.isInfinite()));
        if (!whole) {
            return expected(autoAllowed ? "a whole number or \"auto\"" : "a whole number", value);
        }
        return checkRange(((Number) value).doubleValue());
    }

    private Optional<String> checkRange(double v) {
        if ((min != null && v < min) || (max != null && v > max)) {
            return Optional.of("must be between " + format(min) + " and " + format(max) + ", not " + format(v));
        }
        return Optional.empty();
    }

    private Optional<String> checkPattern(String s) {
        if (pattern != null && !Pattern.matches(pattern, s)) {
            return Optional.of("must match " + pattern);
        }
        return Optional.empty();
    }

    private Optional<String> expected(String what, Object value) {
        return Optional.of("must be " + what + ", not " + describe(value));
    }

    private String describe(Object value) {
        // Never echo a secret back in an error message.
        if (secret) {
            return "the given value";
        }
        return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    }

    private static String format(Double d) {
        if (d == null) {
            return "…";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
    }
}
