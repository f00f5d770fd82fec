package dev.flowgraph.nodes.subflow;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFileException;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sub-flow file as its callers see it: its Flow input and Flow output nodes become the calling node's ports. Read
 * while a flow is edited and validated, so files are cached by path and modification time.
 */
final class FlowInterfaceFile {
    /** The node types that run another flow file, named by their {@code flow} setting. */
    static final Set<String> CALLERS = Set.of(SubFlow.TYPE, ForEach.TYPE, Repeat.TYPE, SubFlowTool.TYPE);
    static final String FLOW = "flow";
    private static final int MAX_DEPTH = 32;
    private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();

    private record Cached(long modified, FlowDocument document) {
    }

    /** The setting that names the flow file a node runs ({@code what}: when it runs, as " per item"). */
    static dev.flowgraph.core.node.SettingSpec flowSetting(String what) {
        return dev.flowgraph.core.node.SettingSpec.path(FLOW).asRequired()
                .help("The flow file to run" + what + ", relative to this flow's file.");
    }

    /** The ports of a sub-flow: its inputs (all required) and outputs, in file order; none if it cannot be read. */
    static List<PortSpec> inputs(PortScope scope, String path) {
        return ports(scope, path, FlowInput.TYPE, true);
    }

    static List<PortSpec> outputs(PortScope scope, String path) {
        return ports(scope, path, FlowOutput.TYPE, false);
    }

    private static List<PortSpec> ports(PortScope scope, String path, String type, boolean input) {
        if (path.isBlank()) {
            return List.of();
        }
        try {
            List<PortSpec> ports = new ArrayList<>();
            for (NodeInstance node : read(scope.resolve(path)).nodesOfType(type)) {
                var port = InterfaceSettings.Declared.from(node.settings(), input ? "input" : "output");
                ports.add(input ? PortSpec.required(port.name(), port.type(), port.description())
                        : PortSpec.output(port.name(), port.type(), port.description()));
            }
            return ports;
        } catch (IOException | FlowFileException e) {
            return List.of();
        }
    }

    /** What is wrong with calling {@code path}: it cannot be read, has no interface, or includes itself. */
    static List<SettingProblem> problems(PortScope scope, String path, boolean needsOneEach) {
        if (path.isBlank()) {
            return List.of(new SettingProblem(FLOW, "is required: the *.flow.json file to run"));
        }
        Path file = scope.resolve(path);
        try {
            FlowDocument document = read(file);
            List<SettingProblem> problems = new ArrayList<>();
            if (needsOneEach && (document.nodesOfType(FlowInput.TYPE).isEmpty()
                    || document.nodesOfType(FlowOutput.TYPE).isEmpty())) {
                problems.add(new SettingProblem(FLOW, path + " needs a Flow input and a Flow output node"));
            }
            String loop = nesting(scope, file, 0);
            if (loop != null) {
                problems.add(new SettingProblem(FLOW, "the sub-flow includes itself: " + loop));
            }
            return problems;
        } catch (IOException e) {
            return List.of(new SettingProblem(FLOW, "cannot read " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"));
        } catch (FlowFileException e) {
            return List.of(new SettingProblem(FLOW, file + " is not a flow file: " + e.getMessage()));
        }
    }

    /** The chain of files by which {@code file}, called from {@code scope}, comes back to a file around it; or null. */
    private static String nesting(PortScope scope, Path file, int depth) throws IOException, FlowFileException {
        if (scope.enclosingFlows().contains(file) || depth > MAX_DEPTH) {
            List<Path> chain = new ArrayList<>(scope.enclosingFlows().subList(
                    Math.max(0, scope.enclosingFlows().indexOf(file)), scope.enclosingFlows().size()));
            chain.add(file);
            return String.join(" → ", chain.stream().map(p -> p.getFileName().toString()).toList());
        }
        PortScope inner = scope.enter(file);
        for (NodeInstance node : read(file).nodes()) {
            Object path = node.settings().get(FLOW);
            if (CALLERS.contains(node.type()) && path instanceof String p && !p.isBlank()) {
                Path next = inner.resolve(p);
                if (Files.isRegularFile(next)) {
                    String loop = nesting(inner, next, depth + 1);
                    if (loop != null) {
                        return loop;
                    }
                }
            }
        }
        return null;
    }

    static FlowDocument read(Path file) throws IOException, FlowFileException {
        long modified = Files.getLastModifiedTime(file).toMillis();
        Cached cached = CACHE.get(file);
        if (cached != null && cached.modified() == modified) {
            return cached.document();
        }
        FlowDocument document = FlowFiles.load(file);
        CACHE.put(file, new Cached(modified, document));
        return document;
    }
}
