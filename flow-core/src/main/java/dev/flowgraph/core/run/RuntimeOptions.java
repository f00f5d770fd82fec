package dev.flowgraph.core.run;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * How a flow is started.
 *
 * @param serveNetwork    entry nodes open their network endpoints (false for {@code flow run}: in-process only)
 * @param environment     where {@code ${env:NAME}} references are read
 * @param baseDirectories where relative paths in settings are looked for, in order
 */
public record RuntimeOptions(boolean serveNetwork, Function<String, String> environment, List<Path> baseDirectories) {

    public RuntimeOptions {
        baseDirectories = List.copyOf(baseDirectories);
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
        return new RuntimeOptions(serveNetwork, environment, baseDirectories);
    }

    private static List<Path> dirs(Path flowDir) {
        Path cwd = Path.of("").toAbsolutePath();
        return flowDir == null ? List.of(cwd) : List.of(cwd, flowDir.toAbsolutePath());
    }
}
