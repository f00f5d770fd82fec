package dev.flowgraph.ui.properties;

import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.node.SettingType;
import javafx.scene.Node;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The input for one setting in the property sheet, chosen by the setting's type. */
interface SettingField {

    Node node();

    /** Shows a value from the document (null: the setting is not set, so its default applies). */
    void show(Object value);

    /** A value typed by the user, or a reason it cannot be read as this setting's type. */
    record Parsed(Object value, String error) {
        static Parsed ok(Object value) {
            return new Parsed(value, null);
        }

        static Parsed bad(String error) {
            return new Parsed(null, error);
        }
    }

    /** Reads text typed for a setting into the value the flow file holds (null: leave unset). */
    static Parsed parse(SettingSpec spec, String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return Parsed.ok(null);
        }
        if (SettingSpec.isEnvReference(t)) {
            return Parsed.ok(t);
        }
        return switch (spec.type()) {
            case INTEGER -> {
                if (spec.autoAllowed() && SettingSpec.AUTO.equals(t)) {
                    yield Parsed.ok(SettingSpec.AUTO);
                }
                try {
                    long v = Long.parseLong(t);
                    yield Parsed.ok(v == (int) v ? (Object) (int) v : (Object) v);
                } catch (NumberFormatException e) {
                    yield Parsed.bad("must be a whole number" + (spec.autoAllowed() ? " or auto" : ""));
                }
            }
            case NUMBER -> {
                try {
                    yield Parsed.ok(Double.parseDouble(t));
                } catch (NumberFormatException e) {
                    yield Parsed.bad("must be a number");
                }
            }
            case STRING_LIST -> Parsed.ok(Arrays.stream(text.split("\n")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList());
            case TEXT -> Parsed.ok(text);
            default -> Parsed.ok(t);
        };
    }

    /** How a value is written in a text field. */
    static String format(SettingSpec spec, Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            return String.join("\n", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof Double d && spec.type() == SettingType.NUMBER && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue()) + ".0";
        }
        return String.valueOf(value);
    }

    /** The setting's own complaint about a value, if it has one. */
    static Optional<String> check(SettingSpec spec, Parsed parsed) {
        if (parsed.error() != null) {
            return Optional.of(parsed.error());
        }
        return spec.check(parsed.value() == null ? spec.defaultValue() : parsed.value());
    }

    /** Called with each new value the user enters. */
    interface Sink extends Consumer<Object> {
    }
}
