package dev.flowgraph.core.node;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A setting value written as {@code ${env:NAME}}: the value is read from the environment when the flow starts. */
public final class EnvReference {
    static final Pattern PATTERN = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvReference() {
    }

    /**
     * Resolves a reference, or returns the value unchanged when it is not one.
     *
     * @throws IllegalStateException when the variable is not set
     */
    public static Object resolve(Object value, Function<String, String> environment) {
        if (!(value instanceof String s)) {
            return value;
        }
        Matcher m = PATTERN.matcher(s);
        if (!m.matches()) {
            return value;
        }
        String resolved = environment.apply(m.group(1));
        if (resolved == null) {
            throw new IllegalStateException("environment variable " + m.group(1) + " is not set");
        }
        return resolved;
    }
}
