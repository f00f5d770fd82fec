package dev.flowgraph.core.run;

import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.core.store.Store;

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
 * @param store           where conversations and run history are kept ({@link Store#NONE}: nowhere)
 */
public record RuntimeOptions(boolean serveNetwork, Function<String, String> environment, List<Path> baseDirectories,
                             PortScope scope, Store store) {

    public RuntimeOptions {
        store = store == null ? Store.NONE : store;
        baseDirectories = List.copyOf(baseDirectories);
        scope = scope != null ? scope
                : new PortScope(baseDirectories.isEmpty() ? null : baseDirectories.get(baseDirectories.size() - 1),
                List.of());
    }

    public RuntimeOptions(boolean serveNetwork, Function<String, String> environment, List<Path> baseDirectories) {
        this(serveNetwork, environment, baseDirectories, null, Store.NONE);
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
        return new RuntimeOptions(serveNetwork, environment, baseDirectories, scope, store);
    }

    /** These options with conversations and run history kept in {@code store}. */
    public RuntimeOptions withStore(Store store) {
        return new RuntimeOptions(serveNetwork, environment, baseDirectories, scope, store);
    }

    /** The options of a sub-flow read from {@code subFlowFile}: in-process, same environment, its own folder. */
    public RuntimeOptions forSubFlow(Path subFlowFile) {
        PortScope inner = scope.enter(subFlowFile);
        return new RuntimeOptions(false, environment, dirs(inner.flowDirectory()), inner, store);
    }

    private static List<Path> dirs(Path flowDir) {
        Path cwd = Path.of("").toAbsolutePath();
        return flowDir == null ? List.of(cwd) : List.of(cwd, flowDir.toAbsolutePath());
    }
}
