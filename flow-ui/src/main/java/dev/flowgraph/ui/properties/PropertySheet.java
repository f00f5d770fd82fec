package dev.flowgraph.ui.properties;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.ui.model.EditorDocument;
import dev.flowgraph.ui.model.FlowEdits;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The selected node's settings, with a field per setting built from its node type's descriptor. Each change is an
 * undoable edit; the keystrokes of one visit to a field undo as one step.
 */
public final class PropertySheet extends ScrollPane {
    private final NodeRegistry registry;
    private final EditorDocument document;
    private final dev.flowgraph.ui.model.WireRules wireRules;
    private final VBox content = new VBox(10);
    private final Map<String, SettingField> fields = new LinkedHashMap<>();
    private String nodeId;
    private NodeInstance shown;
    private int visit;

    /** Joins the keystrokes of one visit to one field into one undo step. */
    private record FieldVisit(String nodeId, String setting, int visit) {
    }

    public PropertySheet(NodeRegistry registry, EditorDocument document) {
        this.registry = registry;
        this.document = document;
        this.wireRules = new dev.flowgraph.ui.model.WireRules(registry,
                () -> dev.flowgraph.core.node.PortScope.of(document.file()));
        getStyleClass().add("property-sheet");
        setId("properties");
        setFitToWidth(true);
        content.setPadding(new Insets(10));
        content.getStyleClass().add("property-content");
        setContent(content);
        document.flowProperty().addListener((o, a, flow) -> refresh());
        sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                scene.focusOwnerProperty().addListener((p, b, c) -> visit++);
            }
        });
        showNode(null);
    }

    /** Shows the settings of a node, or a hint when none (or several) is selected. */
    public void showNode(String id) {
        nodeId = id;
        visit++;
        fields.clear();
        content.getChildren().clear();
        Optional<NodeInstance> node = id == null ? Optional.empty() : document.flow().node(id);
        Optional<NodeDescriptor> type = node.flatMap(n -> registry.descriptor(n.type()));
        shown = node.orElse(null);
        Label title = new Label("Properties");
        title.getStyleClass().add("panel-title");
        content.getChildren().add(title);
        if (node.isEmpty()) {
            content.getChildren().add(hint("Select a node to see its settings."));
            return;
        }
        if (type.isEmpty()) {
            content.getChildren().add(hint("Node '" + id + "' has the unknown type '" + node.get().type() + "'."));
            return;
        }
        NodeDescriptor d = type.get();
        Label name = new Label(d.name());
        name.getStyleClass().add("sheet-node-name");
        Label ident = new Label(id + "  ·  " + d.id());
        ident.getStyleClass().add("sheet-node-id");
        content.getChildren().addAll(name, ident);
        if (!d.description().isEmpty()) {
            content.getChildren().add(hint(d.description()));
        }
        if (d.settings().isEmpty()) {
            content.getChildren().add(hint("This node has no settings."));
        }
        for (SettingSpec spec : d.settings()) {
            Label label = new Label(spec.name() + (spec.required() ? " *" : ""));
            label.getStyleClass().add("setting-name");
            Label error = new Label();
            error.getStyleClass().add("setting-error");
            error.setId("error-" + spec.name());
            error.setWrapText(true);
            SettingField field = SettingFields.create(spec, "setting-", value -> commit(spec, value), error,
                    this::baseDirectory);
            fields.put(spec.name(), field);
            label.setLabelFor(field.node());
            VBox box = SettingFields.labelled(label, field.node(), error);
            if (!spec.help().isEmpty()) {
                Label help = new Label(spec.help() + (spec.secret() ? " Write ${env:NAME} to read it from the environment." : ""));
                help.getStyleClass().add("setting-help");
                help.setWrapText(true);
                box.getChildren().add(help);
            }
            content.getChildren().add(box);
            field.show(node.get().settings().get(spec.name()));
        }
    }

    public String nodeId() {
        return nodeId;
    }

    private void commit(SettingSpec spec, Object value) {
        String id = nodeId;
        if (id == null) {
            return;
        }
        document.apply("Set " + id + "." + spec.name(), new FieldVisit(id, spec.name(), visit), flow -> {
            FlowDocument changed = FlowEdits.setSetting(flow, id, spec.name(), value);
            // Ports that follow settings may have gone with this change: their wires go in the same undo step.
            return wireRules.portsOf(changed, id).map(ports -> FlowEdits.dropWiresOffPorts(changed, id, ports))
                    .orElse(changed);
        });
    }

    /** After undo, redo or another edit: show the node's current values, or clear if it is gone. */
    private void refresh() {
        if (nodeId == null) {
            return;
        }
        Optional<NodeInstance> node = document.flow().node(nodeId);
        if (node.isEmpty()) {
            showNode(null);
            return;
        }
        if (node.get().equals(shown)) {
            return;
        }
        shown = node.get();
        fields.forEach((name, field) -> field.show(shown.settings().get(name)));
    }

    private Path baseDirectory() {
        Path file = document.file();
        Path dir = file == null ? null : file.toAbsolutePath().getParent();
        return dir != null ? dir : Path.of("").toAbsolutePath();
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }
}
