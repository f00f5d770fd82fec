package dev.flowgraph.core.node;

/**
 * A setting whose value is well-typed but still wrong (a regular expression that does not compile, a template with an
 * unclosed placeholder, a sub-flow that includes itself), found by a node type's own check.
 */
public record SettingProblem(String setting, String message) {
}
