package dev.flowgraph.core.node;

/** The kind of value a setting holds; the editor picks its field from this. */
public enum SettingType {
    STRING,
    /** Multi-line text, such as a system prompt or a template. */
    TEXT,
    INTEGER,
    NUMBER,
    BOOLEAN,
    /** One of {@link SettingSpec#choices()}. */
    CHOICE,
    /** A file path; relative paths resolve against the working directory, then the flow file's folder. */
    PATH,
    STRING_LIST;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
