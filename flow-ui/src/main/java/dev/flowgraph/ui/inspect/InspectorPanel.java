package dev.flowgraph.ui.inspect;

import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.run.NodeTrace;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the selected node did in the run on show: what it received on each input and emitted on each output, its
 * notes (such as the sources it retrieved), its error, and its settings as they were. Text streams can be replayed at
 * the pace they arrived.
 */
public final class InspectorPanel extends BorderPane {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Label header = new Label();
    private final VBox sections = new VBox(6);
    private InspectedRun run;
    private String nodeId;
    private Timeline replay;

    public InspectorPanel() {
        setId("inspector");
        header.setId("inspector-header");
        header.getStyleClass().add("inspector-header");
        sections.setFillWidth(true);
        ScrollPane scroll = new ScrollPane(sections);
        scroll.setId("inspector-content");
        scroll.setFitToWidth(true);
        setTop(header);
        setCenter(scroll);
        refresh();
    }

    /** Shows {@code run} (null: none) for the node last selected. */
    public void showRun(InspectedRun run) {
        this.run = run;
        refresh();
    }

    /** Shows the node (null: none selected) in the run on show. */
    public void showNode(String nodeId) {
        this.nodeId = nodeId;
        refresh();
    }

    public Optional<InspectedRun> run() {
        return Optional.ofNullable(run);
    }

    private void refresh() {
        if (replay != null) {
            replay.stop();
            replay = null;
        }
        sections.getChildren().clear();
        if (run == null) {
            header.setText("No run on show");
            sections.getChildren().add(hint("Run the flow and send a message (Try it), or open a run from the Runs "
                    + "panel: each node then shows its time and tokens, and selecting it shows here what it received "
                    + "and emitted."));
            return;
        }
        String runLine = run.id() + " · " + CLOCK.format(Instant.ofEpochMilli(run.startedMillis()))
                + (run.error() == null ? "" : " · failed: " + run.error());
        Optional<NodeInstance> node = nodeId == null ? Optional.empty() : run.flow().node(nodeId);
        if (node.isEmpty()) {
            header.setText(runLine);
            sections.getChildren().add(hint("Select a node to see what it received and emitted in this run."));
            return;
        }
        Optional<NodeTrace> trace = run.trace(nodeId);
        header.setText(nodeId + " · " + run.badge(nodeId).orElse("not reached") + " · " + runLine);
        if (trace.isEmpty() && !run.reached(nodeId)) {
            sections.getChildren().add(hint("The run did not reach this node."));
        }
        trace.map(NodeTrace::error).ifPresent(error ->
                sections.getChildren().add(section("inspector-error", "Error", ValueViews.textArea(error, "inspector-error-text"))));
        if (run.outputs().isEmpty()) {
            fromHistory(trace);
        } else {
            wires();
        }
        trace.filter(t -> !t.notes().isEmpty()).ifPresent(t -> {
            StringBuilder notes = new StringBuilder();
            t.notes().forEach((k, v) -> notes.append(k).append(": ").append(v).append('\n'));
            sections.getChildren().add(section("inspector-notes", "Notes", ValueViews.textArea(notes.toString().strip(),
                    "inspector-notes-text")));
        });
        String settings = FlowFiles.settingsJson(node.get().settings());
        TitledPane settingsPane = section("inspector-settings", run.settingsAsRun() ? "Settings as run"
                : "Settings (as the flow is now: history keeps none)", ValueViews.textArea(settings, "inspector-settings-text"));
        settingsPane.setExpanded(false);
        sections.getChildren().add(settingsPane);
    }

    /** A run made in the editor: every input's and output's packets, what came in beside what went out. */
    private void wires() {
        VBox in = column("Received");
        VBox out = column("Emitted");
        Set<String> inputs = new LinkedHashSet<>();
        run.flow().wires().stream().filter(w -> w.to().node().equals(nodeId)).forEach(w -> inputs.add(w.to().port()));
        for (String input : inputs) {
            for (Map.Entry<Wire, PortLog> received : run.received(nodeId, input)) {
                PortLog log = received.getValue();
                in.getChildren().add(portSection("in", input, input + " ← " + received.getKey().from(), log));
            }
        }
        run.outputs().keySet().stream().filter(p -> p.node().equals(nodeId)).map(PortRef::port).sorted()
                .forEach(output -> out.getChildren().add(portSection("out", output, output,
                        run.outputs().get(new PortRef(nodeId, output)))));
        sideBySide(in, out);
    }

    /** Two columns of equal width (what came in, what went out), growing with the panel. */
    private void sideBySide(VBox left, VBox right) {
        if (left.getChildren().size() == 1) {
            left.getChildren().add(hint("nothing"));
        }
        if (right.getChildren().size() == 1) {
            right.getChildren().add(hint("nothing"));
        }
        javafx.scene.layout.HBox columns = new javafx.scene.layout.HBox(8, left, right);
        javafx.scene.layout.HBox.setHgrow(left, javafx.scene.layout.Priority.ALWAYS);
        javafx.scene.layout.HBox.setHgrow(right, javafx.scene.layout.Priority.ALWAYS);
        left.setPrefWidth(1);
        right.setPrefWidth(1);
        sections.getChildren().add(columns);
    }

    private static VBox column(String title) {
        Label heading = new Label(title);
        heading.getStyleClass().add("inspector-column");
        VBox column = new VBox(4, heading);
        column.setMaxWidth(Double.MAX_VALUE);
        return column;
    }

    /** A run from history: the entry node shows the recorded input and answer; wire contents were never kept. */
    private void fromHistory(Optional<NodeTrace> trace) {
        boolean entry = run.input() != null && nodeId.equals(run.entryNode());
        if (entry) {
            VBox in = column("Request (as recorded)");
            VBox out = column("Answer (as recorded)");
            in.getChildren().add(ValueViews.textArea(ValueViews.messages(run.input()), "inspector-text-in-request"));
            if (run.output() != null) {
                out.getChildren().add(ValueViews.text(run.output(), "inspector-text-out-answer"));
            }
            sideBySide(in, out);
        }
        if (trace.isPresent()) {
            sections.getChildren().add(hint("History keeps each node's time, tokens, notes and error, not what passed "
                    + "over its wires: run the flow in the editor to see those."));
        }
    }

    private TitledPane portSection(String direction, String port, String title, PortLog log) {
        String id = direction + "-" + port;
        Node view = ValueViews.view(log, "inspector-text-" + id);
        Label ending = new Label(log.ending() + " · " + log.packets() + (log.packets() == 1 ? " packet" : " packets")
                + (log.pieces().size() < log.packets() - 1 ? " (first " + log.pieces().size() + " pieces kept)" : ""));
        ending.getStyleClass().add("inspector-hint");
        VBox box = new VBox(4, view, ending);
        if (log.isText() && log.pieces().size() > 1) {
            Button replayButton = new Button("Replay as it streamed");
            replayButton.setId("inspector-replay-" + id);
            replayButton.setOnAction(e -> replay(log, view));
            box.getChildren().add(replayButton);
        }
        return section("inspector-" + id, title, box);
    }

    /** Plays a text stream back into its view at the pace its pieces left the node. */
    private void replay(PortLog log, Node view) {
        if (replay != null) {
            replay.stop();
        }
        java.util.function.Consumer<String> append;
        if (view instanceof TextArea area) {
            area.clear();
            append = area::appendText;
        } else {
            LongTextView lines = (LongTextView) view;
            lines.setText("");
            append = lines::append;
        }
        long first = log.pieces().get(0).atNanos();
        replay = new Timeline();
        for (PortLog.Piece piece : log.pieces()) {
            replay.getKeyFrames().add(new KeyFrame(Duration.millis((piece.atNanos() - first) / 1e6),
                    e -> append.accept(String.valueOf(piece.value()))));
        }
        replay.play();
    }

    private static TitledPane section(String id, String title, Node content) {
        TitledPane pane = new TitledPane(title, content);
        pane.setId(id);
        pane.setAnimated(false);
        return pane;
    }

    private static Label hint(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.getStyleClass().add("inspector-hint");
        return label;
    }
}
