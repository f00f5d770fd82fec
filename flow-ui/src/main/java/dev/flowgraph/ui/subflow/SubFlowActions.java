package dev.flowgraph.ui.subflow;

import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.ui.canvas.FlowCanvas;
import dev.flowgraph.ui.files.FileActions;
import dev.flowgraph.ui.files.FileDialogs;
import dev.flowgraph.ui.model.EditorDocument;
import dev.flowgraph.ui.model.SubFlowExtraction;
import javafx.stage.Window;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Working with sub-flows in the editor: a Sub-flow node opens its file in a tab, with a breadcrumb trail back to the
 * flows it was opened from, and "Extract to sub-flow" turns the selection into a new flow file and one Sub-flow node.
 */
public final class SubFlowActions {
    private final EditorDocument document;
    private final FlowCanvas canvas;
    private final FileActions files;
    private final FileDialogs dialogs;
    private final Supplier<Window> owner;
    private final Consumer<String> message;
    private final FlowTabs tabs;

    public SubFlowActions(EditorDocument document, FlowCanvas canvas, FileActions files, FileDialogs dialogs,
                          Supplier<Window> owner, Consumer<String> message) {
        this.document = document;
        this.canvas = canvas;
        this.files = files;
        this.dialogs = dialogs;
        this.owner = owner;
        this.message = message;
        this.tabs = new FlowTabs(document, files);
    }

    public FlowTabs tabs() {
        return tabs;
    }

    /** Opens the flow file a node runs (Sub-flow, For each, Repeat) in a tab of its own, with the way back. */
    public void open(String nodeId) {
        Path current = document.file();
        document.flow().node(nodeId).map(n -> n.settings().get("flow"))
                .filter(path -> path instanceof String s && s.endsWith(".flow.json"))
                .map(path -> PortScope.of(current).resolve((String) path).toAbsolutePath().normalize())
                .ifPresent(file -> {
                    List<Path> trail = new ArrayList<>(tabs.trail());
                    if (current != null) {
                        trail.add(current);
                    }
                    if (tabs.open(file, trail)) {
                        canvas.fitToView();
                    }
                });
    }

    /**
     * Writes the selected nodes to a new flow file (asked for, beside the flow by default) and replaces them with one
     * Sub-flow node, as one undo step. The flow must have been saved: the new file's path is relative to it.
     */
    public void extractSelection() {
        Set<String> selected = Set.copyOf(canvas.selection());
        if (selected.isEmpty()) {
            message.accept("Select the nodes to extract first.");
            return;
        }
        Path flowFile = document.file();
        if (flowFile == null) {
            message.accept("Save the flow first: the sub-flow's file is written beside it.");
            return;
        }
        Path dir = flowFile.toAbsolutePath().getParent();
        String suggested = document.flow().name() + "-part.flow.json";
        Path target = dialogs.chooseSave(owner.get(), dir, suggested).orElse(null);
        if (target == null) {
            return;
        }
        String file = target.getFileName().toString();
        if (!file.endsWith(".flow.json")) {
            target = target.resolveSibling(file + (file.endsWith(".json") ? "" : ".flow.json"));
        }
        String name = target.getFileName().toString().replace(".flow.json", "").replace(".json", "");
        String relative = dir.relativize(target.toAbsolutePath()).toString().replace('\\', '/');
        SubFlowExtraction.Result result;
        try {
            result = SubFlowExtraction.extract(document.flow(), selected, name, relative, canvas::portType);
            FlowFiles.save(result.subFlow(), target);
        } catch (IllegalArgumentException | IOException e) {
            message.accept("Cannot extract: " + e.getMessage());
            return;
        }
        document.apply("Extract to sub-flow", f -> result.parent());
        canvas.select(Set.of(result.nodeId()));
        message.accept("Extracted " + selected.size() + " node(s) to " + relative + ": double-click the Sub-flow node to open it.");
    }
}
