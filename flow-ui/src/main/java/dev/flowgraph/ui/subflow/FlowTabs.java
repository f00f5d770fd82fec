package dev.flowgraph.ui.subflow;

import dev.flowgraph.ui.files.FileActions;
import dev.flowgraph.ui.model.EditorDocument;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The flows open in the window, one tab each, and the breadcrumb trail of the flows the shown one was opened from.
 * One document is edited at a time; the others wait as {@link EditorDocument.Snapshot}s, unsaved changes and undo
 * history kept, until their tab is chosen again.
 */
public final class FlowTabs {
    private final EditorDocument document;
    private final FileActions files;
    private final TabPane tabs = new TabPane();
    private final HBox breadcrumbs = new HBox(4);
    private final VBox view = new VBox(tabs, breadcrumbs);
    /** The tab whose flow is the live document. */
    private Tab current;
    private boolean switching;

    /** A tab's flow: put aside while another tab is shown, and the flows it was opened from. */
    private static final class OpenFlow {
        EditorDocument.Snapshot aside;
        List<Path> trail = List.of();
    }

    public FlowTabs(EditorDocument document, FileActions files) {
        this.document = document;
        this.files = files;
        tabs.setId("flow-tabs");
        tabs.getStyleClass().add("flow-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        breadcrumbs.setId("breadcrumbs");
        breadcrumbs.getStyleClass().add("breadcrumbs");
        current = newTab(new OpenFlow());
        tabs.getTabs().add(current);
        tabs.getSelectionModel().selectedItemProperty().addListener((o, was, chosen) -> {
            if (!switching && chosen != null && chosen != current) {
                switchTo(chosen);
            }
        });
        document.fileProperty().addListener(o -> {
            if (!switching) {
                data(current).trail = List.of(); // another file opened in this tab (File › Open): no way back
            }
            refresh();
        });
        document.dirtyProperty().addListener(o -> refresh());
        refresh();
    }

    /** The tab strip with the breadcrumbs under it, to put above the canvas. */
    public VBox view() {
        return view;
    }

    public List<Path> trail() {
        return data(current).trail;
    }

    /** The files open in tabs, in tab order (null for a flow never saved). */
    public List<Path> openFiles() {
        return tabs.getTabs().stream().map(t -> t == current ? document.file() : data(t).aside.file()).toList();
    }

    /**
     * Shows {@code file} in its tab, opening one if it has none; {@code trail} is the way back to the flows it was
     * opened from. The flow shown until now keeps its tab and its unsaved work.
     */
    public boolean open(Path file, List<Path> trail) {
        Optional<Tab> existing = tabs.getTabs().stream().filter(t -> file.equals(fileOf(t))).findFirst();
        if (existing.isPresent()) {
            if (existing.get() != current) {
                select(existing.get());
            }
            data(current).trail = List.copyOf(trail);
            refresh();
            return true;
        }
        OpenFlow left = data(current);
        left.aside = document.snapshot();
        switching = true;
        boolean loaded = files.load(file);
        switching = false;
        if (!loaded) {
            left.aside = null;
            return false;
        }
        OpenFlow opened = new OpenFlow();
        opened.trail = List.copyOf(trail);
        Tab tab = newTab(opened);
        current = tab;
        switching = true;
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
        switching = false;
        refresh();
        return true;
    }

    /** Shows the flow of another tab. */
    public void select(Tab tab) {
        switching = true;
        tabs.getSelectionModel().select(tab);
        switching = false;
        switchTo(tab);
    }

    /** Shows the tab of an open file. */
    public void select(Path file) {
        tabs.getTabs().stream().filter(t -> file.equals(fileOf(t))).findFirst().ifPresent(this::select);
    }

    /**
     * Asks about every tab's unsaved work (the window is closing), showing each such flow first.
     *
     * @return false when the user chose to keep one open
     */
    public boolean mayCloseAll() {
        for (Tab tab : List.copyOf(tabs.getTabs())) {
            boolean dirty = tab == current ? document.isDirty() : data(tab).aside.isDirty();
            if (dirty) {
                select(tab);
                if (!files.mayDiscard()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void switchTo(Tab tab) {
        if (tab == current) {
            return;
        }
        data(current).aside = document.snapshot();
        current = tab;
        OpenFlow shown = data(tab);
        switching = true;
        document.restore(shown.aside);
        switching = false;
        shown.aside = null;
        refresh();
    }

    private Tab newTab(OpenFlow flow) {
        Tab tab = new Tab();
        tab.setUserData(flow);
        tab.setOnCloseRequest(e -> {
            if (tabs.getTabs().size() == 1) {
                e.consume(); // the last flow stays: File › New or Open replace it
                return;
            }
            if (tab != current) {
                select(tab);
            }
            if (!files.mayDiscard()) {
                e.consume();
                return;
            }
            // Show a neighbour before this tab goes, so the live document is never a closed tab's.
            int index = tabs.getTabs().indexOf(tab);
            Tab next = tabs.getTabs().get(index == 0 ? 1 : index - 1);
            select(next);
        });
        return tab;
    }

    private Path fileOf(Tab tab) {
        return tab == current ? document.file() : data(tab).aside.file();
    }

    private static OpenFlow data(Tab tab) {
        return (OpenFlow) tab.getUserData();
    }

    private void refresh() {
        for (Tab tab : tabs.getTabs()) {
            Path file = fileOf(tab);
            boolean dirty = tab == current ? document.isDirty() : data(tab).aside.isDirty();
            tab.setText((dirty ? "● " : "") + (file == null ? "Untitled" : name(file)));
        }
        tabs.setVisible(tabs.getTabs().size() > 1);
        tabs.setManaged(tabs.getTabs().size() > 1);
        List<Path> trail = data(current).trail;
        breadcrumbs.getChildren().clear();
        breadcrumbs.setVisible(!trail.isEmpty());
        breadcrumbs.setManaged(!trail.isEmpty());
        for (int i = 0; i < trail.size(); i++) {
            Path back = trail.get(i);
            List<Path> before = new ArrayList<>(trail.subList(0, i));
            Hyperlink crumb = new Hyperlink(name(back));
            crumb.setId("breadcrumb-" + i);
            crumb.setOnAction(e -> open(back, before));
            breadcrumbs.getChildren().addAll(crumb, new Label("›"));
        }
        Path file = document.file();
        Label here = new Label(file == null ? "Untitled" : name(file));
        here.getStyleClass().add("breadcrumb-current");
        breadcrumbs.getChildren().add(here);
    }

    private static String name(Path file) {
        return file.getFileName().toString().replace(".flow.json", "");
    }
}
