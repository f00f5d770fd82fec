package dev.flowgraph.ui;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFileException;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.validate.FlowValidator;
import dev.flowgraph.core.validate.Problem;
import dev.flowgraph.ui.canvas.FlowCanvas;
import dev.flowgraph.ui.files.FileActions;
import dev.flowgraph.ui.files.RecentFiles;
import dev.flowgraph.ui.inspect.InspectedRun;
import dev.flowgraph.ui.inspect.InspectorPanel;
import dev.flowgraph.ui.layout.ArrangeActions;
import dev.flowgraph.ui.subflow.SubFlowActions;
import dev.flowgraph.ui.model.AnnotationEdits;
import dev.flowgraph.ui.model.EditorDocument;
import dev.flowgraph.ui.model.FlowEdits;
import dev.flowgraph.ui.palette.Palette;
import dev.flowgraph.ui.palette.QuickAdd;
import dev.flowgraph.ui.problems.ProblemsPanel;
import dev.flowgraph.ui.properties.PropertySheet;
import dev.flowgraph.ui.run.FlowSession;
import dev.flowgraph.ui.run.LogPanel;
import dev.flowgraph.ui.run.TryItPanel;
import dev.flowgraph.ui.runs.RunsPanel;
import javafx.beans.binding.Bindings;
import javafx.collections.SetChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The editor's main window: palette, canvas and property sheet side by side, the problems, Try it and log panels
 * below, menus and a tool bar on top. It wires the parts together; each part keeps its own concern.
 */
public final class EditorWindow {
    private static final String THEME_KEY = "theme";

    private final Stage stage;
    private final EditorOptions options;
    private final EditorDocument document = new EditorDocument();
    private final FlowValidator validator;
    private final FlowCanvas canvas;
    private final PropertySheet sheet;
    private final ProblemsPanel problems;
    private final FlowSession session;
    private final TryItPanel tryIt;
    private final LogPanel log = new LogPanel();
    private final InspectorPanel inspector = new InspectorPanel();
    private final RunsPanel runs;
    private final ArrangeActions arrange;
    private final QuickAdd quickAdd;
    private final SubFlowActions subFlows;
    private final FileActions files;
    private final Label message = new Label();
    private final Scene scene;
    private final List<Shortcut> shortcuts;
    private final TabPane bottomTabs = new TabPane();
    private FlowDocument clipboardFallback;
    private int pasteCount;
    private boolean dark;
    private boolean runsOpened;

    public EditorWindow(Stage stage, EditorOptions options) {
        this.stage = stage;
        this.options = options;
        this.validator = new FlowValidator(options.registry());
        this.canvas = new FlowCanvas(options.registry(), document);
        this.sheet = new PropertySheet(options.registry(), document);
        this.arrange = new ArrangeActions(canvas, document, options.registry());
        this.quickAdd = new QuickAdd(options.registry().descriptors());
        canvas.setOnQuickAdd(this::openQuickAdd);
        this.problems = new ProblemsPanel(id -> canvas.select(Set.of(id)));
        this.session = new FlowSession(options.registry(), options.environment(), canvas::showState, this::showRun);
        this.tryIt = new TryItPanel(session);
        this.runs = new RunsPanel(options.storeUrl(), () -> document.flow().name(),
                record -> showRun(InspectedRun.of(record, document.flow(), entryNodeId())), this::runAgain);
        this.files = new FileActions(document, options.dialogs(), new RecentFiles(options.preferences()),
                () -> stage);
        this.subFlows = new SubFlowActions(document, canvas, files, options.dialogs(), () -> stage, message::setText);
        canvas.setOnCardOpened(subFlows::open);
        this.shortcuts = new EditorActions(this).shortcuts();

        Palette palette = new Palette(options.registry(), this::addNode, this::dropNode);
        palette.setPrefWidth(230);
        palette.setMinWidth(180);
        sheet.setPrefWidth(320);
        sheet.setMinWidth(240);

        bottomTabs.setId("bottom-tabs");
        bottomTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Tab problemsTab = new Tab("Problems", problems);
        problemsTab.setId("tab-problems");
        Tab tryTab = new Tab("Try it", tryIt);
        tryTab.setId("tab-try-it");
        Tab logTab = new Tab("Log", log);
        logTab.setId("tab-log");
        Tab inspectorTab = new Tab("Inspector", inspector);
        inspectorTab.setId("tab-inspector");
        Tab runsTab = new Tab("Runs", runs);
        runsTab.setId("tab-runs");
        // The store opens when the Runs tab is first looked at: an editor that never looks never touches it.
        runsTab.setOnSelectionChanged(e -> {
            if (runsTab.isSelected() && !runsOpened) {
                runsOpened = true;
                runs.connect();
            }
        });
        bottomTabs.getTabs().addAll(problemsTab, tryTab, inspectorTab, runsTab, logTab);
        problemsTab.textProperty().bind(Bindings.createStringBinding(
                () -> problems.getItems().isEmpty() ? "Problems" : "Problems (" + problems.getItems().size() + ")",
                problems.getItems()));

        VBox.setVgrow(canvas, Priority.ALWAYS);
        SplitPane centre = new SplitPane(new VBox(subFlows.tabs().view(), canvas), bottomTabs);
        centre.setOrientation(Orientation.VERTICAL);
        centre.setDividerPositions(0.7);
        SplitPane main = new SplitPane(palette, centre, sheet);
        main.setDividerPositions(0.16, 0.78);
        SplitPane.setResizableWithParent(palette, false);
        SplitPane.setResizableWithParent(sheet, false);

        BorderPane root = new BorderPane(main);
        root.getStyleClass().add("editor");
        root.setTop(new VBox(new EditorMenus(this, shortcuts).menuBar(), new EditorToolBar(this).node()));
        root.setBottom(statusBar());
        scene = new Scene(root, 1400, 860);
        scene.getStylesheets().add(css("editor.css"));
        applyTheme("dark".equals(options.preferences().get(THEME_KEY, "light")));

        document.flowProperty().addListener((o, a, flow) -> validate(flow));
        canvas.selection().addListener((SetChangeListener<String>) c -> showSelectionInSheet());
        canvas.messageProperty().addListener((o, a, text) -> message.setText(text));
        stage.titleProperty().bind(Bindings.createStringBinding(this::title,
                document.fileProperty(), document.dirtyProperty(), document.flowProperty()));
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> {
            if (!closeDown()) {
                e.consume();
            }
        });
        log.attach();
        validate(document.flow());
    }

    // ---- parts, for the actions and for tests ----

    public Stage stage() {
        return stage;
    }

    public EditorDocument document() {
        return document;
    }

    public FlowCanvas canvas() {
        return canvas;
    }

    public InspectorPanel inspector() {
        return inspector;
    }

    public ArrangeActions arrange() {
        return arrange;
    }

    public SubFlowActions subFlows() {
        return subFlows;
    }

    public FlowSession session() {
        return session;
    }

    public FileActions files() {
        return files;
    }

    public List<Shortcut> shortcuts() {
        return shortcuts;
    }

    public List<Problem> problems() {
        return List.copyOf(problems.getItems());
    }

    public boolean isDark() {
        return dark;
    }

    /** Opens a flow file (from the command line or Open); false when it could not be read. */
    public boolean open(Path file) {
        boolean loaded = files.load(file);
        if (loaded) {
            if (canvas.getWidth() <= 0) {
                // Opened before the window was ever laid out (from the command line): size it, so the flow can be
                // fitted to the canvas. Later opens keep the size the user gave the window.
                scene.getWindow().sizeToScene();
            }
            javafx.application.Platform.runLater(canvas::fitToView);
        }
        return loaded;
    }

    // ---- editing ----

    void addNode(NodeDescriptor type) {
        addNodeAt(type, canvas.centrePosition());
    }

    private boolean dropNode(NodeDescriptor type, double sceneX, double sceneY) {
        return canvas.dropPosition(sceneX, sceneY).map(p -> {
            addNodeAt(type, p);
            return true;
        }).orElse(false);
    }

    private void addNodeAt(NodeDescriptor type, dev.flowgraph.core.flow.Position at) {
        FlowEdits.Added added = FlowEdits.addNode(document.flow(), type.id(), at);
        document.apply("Add " + type.name(), f -> added.flow());
        canvas.select(added.nodeIds());
        canvas.requestFocus();
    }

    /**
     * The search box for a node type at a point of the canvas; with a dropped wire's port, only the types that can
     * take that wire are offered, and the new node comes wired to it (one undo step).
     */
    private void openQuickAdd(dev.flowgraph.core.flow.Position at, javafx.geometry.Point2D local,
                              dev.flowgraph.core.flow.PortRef anchor, boolean anchorIsOutput) {
        java.util.function.Predicate<NodeDescriptor> fits = anchor == null ? d -> true
                : d -> fittingPort(d, anchor, anchorIsOutput).isPresent();
        String why = anchor == null ? "Enter adds it here · Esc closes"
                : "Types that can take " + anchor + " (" + canvas.portType(anchor, anchorIsOutput).label() + ")";
        quickAdd.open(fits, why, type -> {
            FlowEdits.Added added = FlowEdits.addNode(document.flow(), type.id(), at);
            String id = added.nodeIds().iterator().next();
            FlowDocument result = added.flow();
            if (anchor != null) {
                String port = fittingPort(type, anchor, anchorIsOutput).orElseThrow();
                Wire wire = anchorIsOutput ? new Wire(anchor, new dev.flowgraph.core.flow.PortRef(id, port))
                        : new Wire(new dev.flowgraph.core.flow.PortRef(id, port), anchor);
                result = FlowEdits.connect(result, wire);
            }
            FlowDocument next = result;
            document.apply("Add " + type.name(), f -> next);
            canvas.select(Set.of(id));
            canvas.requestFocus();
        }, () -> {
            canvas.hideFloating(quickAdd);
            canvas.requestFocus();
        });
        canvas.showFloating(quickAdd, local);
        quickAdd.requestFocus();
        javafx.application.Platform.runLater(() -> quickAdd.lookup("#quick-add-field").requestFocus());
    }

    /** The first port of a new node of this type that a wire from (or to) {@code anchor} could use. */
    private java.util.Optional<String> fittingPort(NodeDescriptor type, dev.flowgraph.core.flow.PortRef anchor,
                                                   boolean anchorIsOutput) {
        dev.flowgraph.core.node.DataType anchorType = canvas.portType(anchor, anchorIsOutput);
        dev.flowgraph.core.node.NodePorts ports = type.ports(java.util.Map.of(), canvas.scope());
        return anchorIsOutput
                ? ports.inputs().stream().filter(p -> p.type().accepts(anchorType)).map(p -> p.name()).findFirst()
                : ports.outputs().stream().filter(p -> anchorType.accepts(p.type())).map(p -> p.name()).findFirst();
    }

    void deleteSelection() {
        if (textInputDo(TextInputControl::deleteNextChar)) {
            return;
        }
        Set<String> nodes = Set.copyOf(canvas.selection());
        Wire wire = canvas.selectedWireProperty().get();
        String note = canvas.selectedNoteProperty().get();
        if (note != null && nodes.isEmpty()) {
            document.apply("Delete note", f -> AnnotationEdits.removeNote(f, note));
        } else if (!nodes.isEmpty()) {
            document.apply(nodes.size() == 1 ? "Delete node" : "Delete " + nodes.size() + " nodes",
                    f -> FlowEdits.removeNodes(f, nodes));
        } else if (wire != null) {
            document.apply("Unwire " + wire, f -> FlowEdits.removeWires(f, Set.of(wire)));
        }
    }

    /** Adds a sticky note in the middle of the view and opens it for writing. */
    void addNote() {
        AnnotationEdits.AddedNote added = AnnotationEdits.addNote(document.flow(), canvas.centrePosition(), "");
        document.apply("Add note", f -> added.flow());
        canvas.note(added.noteId()).ifPresent(n -> {
            canvas.selectNote(added.noteId());
            n.edit();
        });
    }

    /** Frames the selected nodes as a group, then lets its title be written. */
    void groupSelection() {
        Set<String> nodes = Set.copyOf(canvas.selection());
        if (nodes.isEmpty()) {
            message.setText("Select the nodes to group first.");
            return;
        }
        AnnotationEdits.AddedGroup added = AnnotationEdits.group(document.flow(), nodes, "Group");
        document.apply("Group " + nodes.size() + " node(s)", f -> added.flow());
    }

    void ungroupSelection() {
        Set<String> nodes = Set.copyOf(canvas.selection());
        if (!nodes.isEmpty()) {
            document.apply("Ungroup", f -> AnnotationEdits.ungroup(f, nodes));
        }
    }

    void copy() {
        if (textInputDo(TextInputControl::copy) || canvas.selection().isEmpty()) {
            return;
        }
        FlowDocument fragment = FlowEdits.extract(document.flow(), canvas.selection());
        clipboardFallback = fragment;
        pasteCount = 0;
        ClipboardContent content = new ClipboardContent();
        content.putString(FlowFiles.toJson(fragment));
        Clipboard.getSystemClipboard().setContent(content);
        message.setText("Copied " + fragment.nodes().size() + " node(s) and " + fragment.wires().size() + " wire(s).");
    }

    void paste() {
        if (textInputDo(TextInputControl::paste)) {
            return;
        }
        FlowDocument fragment = clipboardFlow();
        if (fragment == null || fragment.nodes().isEmpty()) {
            message.setText("Nothing to paste: copy nodes first.");
            return;
        }
        pasteCount++;
        pasteFragment(fragment, 40.0 * pasteCount, "Paste");
    }

    void duplicate() {
        if (canvas.selection().isEmpty()) {
            return;
        }
        pasteFragment(FlowEdits.extract(document.flow(), canvas.selection()), 40, "Duplicate");
    }

    private void pasteFragment(FlowDocument fragment, double offset, String verb) {
        FlowEdits.Added added = FlowEdits.paste(document.flow(), fragment, offset, offset);
        document.apply(verb + " " + fragment.nodes().size() + " node(s)", f -> added.flow());
        canvas.select(added.nodeIds());
    }

    /** The flow on the system clipboard if it holds one (copied here or in another editor window). */
    private FlowDocument clipboardFlow() {
        Clipboard clipboard = Clipboard.getSystemClipboard();
        if (clipboard.hasString()) {
            try {
                return FlowFiles.parse(clipboard.getString());
            } catch (FlowFileException e) {
                return null;
            }
        }
        return clipboardFallback;
    }

    void selectAll() {
        if (textInputDo(TextInputControl::selectAll)) {
            return;
        }
        canvas.selectAll();
    }

    void undo() {
        if (!textInputDo(TextInputControl::undo)) {
            document.undo();
        }
    }

    void redo() {
        if (!textInputDo(TextInputControl::redo)) {
            document.redo();
        }
    }

    // ---- running ----

    void run() {
        bottomTabs.getSelectionModel().select(1);
        Path file = document.file();
        Path base = file != null && file.getParent() != null ? file.getParent() : Path.of("").toAbsolutePath();
        session.start(document.flow(), base);
    }

    void stop() {
        session.stop(document.flow().nodes().stream().map(n -> n.id()).toList());
    }

    // ---- view ----

    void toggleTheme() {
        applyTheme(!dark);
        options.preferences().put(THEME_KEY, dark ? "dark" : "light");
    }

    private void applyTheme(boolean darkTheme) {
        dark = darkTheme;
        scene.getStylesheets().removeIf(s -> s.endsWith("theme-dark.css") || s.endsWith("theme-light.css"));
        scene.getStylesheets().add(css(dark ? "theme-dark.css" : "theme-light.css"));
        canvas.darkGridProperty().set(dark);
    }

    /** Shows a run on the canvas and in the inspector (a run just made here, or one opened from history). */
    public void showRun(InspectedRun run) {
        canvas.showRun(run);
        inspector.showRun(run);
    }

    /** The node requests come in by (the API element), or null when the flow has none. */
    private String entryNodeId() {
        return document.flow().nodes().stream()
                .filter(n -> options.registry().descriptor(n.type()).map(NodeDescriptor::entry).orElse(false))
                .map(n -> n.id()).findFirst().orElse(null);
    }

    /** Sends a recorded run's input through the running flow, in Try it. */
    private void runAgain(dev.flowgraph.core.store.RunRecord record) {
        if (record.input() == null || record.input().isEmpty()) {
            message.setText("This run's input was not recorded.");
        } else if (tryIt.resend(record.input())) {
            bottomTabs.getSelectionModel().select(1);
        } else {
            message.setText("Run the flow first (Run), then run this again.");
        }
    }

    void clearRun() {
        showRun(null);
    }

    void showMessage(String text) {
        message.setText(text);
    }

    /** Stops the flow and lets the window close, unless the user keeps unsaved changes by cancelling. */
    public boolean closeDown() {
        if (!subFlows.tabs().mayCloseAll()) {
            return false;
        }
        session.shutdown();
        runs.close();
        log.detach();
        return true;
    }

    void close() {
        if (closeDown()) {
            stage.close();
        }
    }

    private void validate(FlowDocument flow) {
        List<Problem> found = validator.validate(flow, dev.flowgraph.core.node.PortScope.of(document.file()));
        problems.show(found);
        canvas.showProblems(found);
    }

    private void showSelectionInSheet() {
        Set<String> selected = canvas.selection();
        String id = selected.size() == 1 ? selected.iterator().next() : null;
        if (!java.util.Objects.equals(id, sheet.nodeId())) {
            sheet.showNode(id);
        }
        inspector.showNode(id);
    }

    private String title() {
        Path file = document.file();
        String name = file == null ? "Untitled flow" : file.getFileName().toString();
        return (document.isDirty() ? "● " : "") + name + " — Flowgraph Editor";
    }

    private HBox statusBar() {
        message.setId("status-message");
        Label run = new Label();
        run.setId("status-run");
        run.textProperty().bind(Bindings.createStringBinding(() -> {
            String detail = session.detailProperty().get();
            return switch (session.statusProperty().get()) {
                case STOPPED -> "Stopped";
                case STARTING -> "Starting…";
                case RUNNING -> "Running · " + detail;
                case STOPPING -> "Stopping…";
                case FAILED -> "Did not start: " + detail;
            };
        }, session.statusProperty(), session.detailProperty()));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(12, message, gap, run);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    /** Edit keys go to a focused text field first: Delete or Ctrl+C there is about its text, not the nodes. */
    private boolean textInputDo(Consumer<TextInputControl> action) {
        if (scene.getFocusOwner() instanceof TextInputControl t) {
            action.accept(t);
            return true;
        }
        return false;
    }

    private static String css(String name) {
        return EditorWindow.class.getResource(name).toExternalForm();
    }
}
