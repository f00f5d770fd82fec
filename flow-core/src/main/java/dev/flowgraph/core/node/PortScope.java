package dev.flowgraph.core.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a node's ports and checks are worked out: the folder of the flow file it is in (relative sub-flow paths
 * start there) and the flow files that enclose it, outermost first (a sub-flow that includes itself is found so).
 */
public record PortScope(Path flowDirectory, List<Path> enclosingFlows) {

    public PortScope {
        flowDirectory = (flowDirectory == null ? Path.of("") : flowDirectory).toAbsolutePath().normalize();
        enclosingFlows = List.copyOf(enclosingFlows);
    }

    /** A flow that is not inside another, read from {@code flowFile} (null: not saved yet, the working directory). */
    public static PortScope of(Path flowFile) {
        if (flowFile == null) {
            return new PortScope(null, List.of());
        }
        Path file = flowFile.toAbsolutePath().normalize();
        return new PortScope(file.getParent(), List.of(file));
    }

    /** The scope of the nodes inside {@code subFlowFile}, used from a flow in this scope. */
    public PortScope enter(Path subFlowFile) {
        Path file = subFlowFile.toAbsolutePath().normalize();
        List<Path> chain = new ArrayList<>(enclosingFlows);
        chain.add(file);
        return new PortScope(file.getParent(), chain);
    }

    /** A path written in a setting: absolute as it is, relative from the flow file's folder. */
    public Path resolve(String path) {
        return flowDirectory.resolve(path).normalize();
    }
}
