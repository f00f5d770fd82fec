package dev.flowgraph.core.run;

import dev.flowgraph.core.node.PortScope;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * How a flow is started.
 *
 * @param serveNetwork    entry nodes open their network endpoints (false for {@code flow run}: in-process only)
 * @param environment     where {@code ${env:NAME}} references are read
 * @param baseDirectories where relative paths in settings are looked for, in order
 * @param scope           the flow file's folder and the flows around it (sub-flow paths start there)
 */
public record RuntimeOptions(boolean serveNetwork, Function<String, String> environment, List<Path> baseDirectories,
                             PortScope scope) {

    public RuntimeOptions {
        baseDirectories = List.copyOf(baseDirectories);
        scope = scope != null ? scope
                : new PortScope(baseDirectories.isEmpty() ? null : baseDirectories.get(baseDirectories.size() - 1),
                List.of());
    }

    public RuntimeOptions(boolean serveNetwork, Function<String, String> environment, List<Path> baseDirectories) {
        this(serveNetwork, environment, baseDirectories, null);
    }

    /** Serving, reading the process environment, relative paths from the working directory then {@code flowDir}. */
    public static RuntimeOptions serving(Path flowDir) {
        return new RuntimeOptions(true, System::getenv, dirs(flowDir));
    }

    /** In-process only: no sockets are opened. */
    public static RuntimeOptions inProcess(Path flowDir) {
        return new RuntimeOptions(false, System::getenv, dirs(flowDir));
    }

    public RuntimeOptions withEnvironment(Function<String, String> environment) {
        return new RuntimeOptions(serveNetwork, environment, baseDirectories, scope);
    }

    /** The options of a sub-flow read from {@code subFlowFile}: in-process, same environment, its own folder. */
    public RuntimeOptions forSubFlow(Path subFlowFile) {
        PortScope inner = scope.enter(subFlowFile);
        return new RuntimeOptions(false, environment, dirs(inner.flowDirectory()), inner);
    }

    private static List<Path> dirs(Path flowDir) {
        Path cwd = Path.of("").toAbsolutePath();
        return flowDir == null ? List.of(cwd) : List.of(cwd, flowDir.toAbsolutePath());
    }
}
