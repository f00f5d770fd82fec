package dev.flowgraph.ui.runs;

import dev.flowgraph.core.run.RunStatus;
import dev.flowgraph.core.store.RunRecord;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.store.JdbcStore;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The run history of the flow in the editor, newest first, from a store (the SQLite file {@code flow serve} writes by
 * default, or any store URL): filtered by status, session and text, refreshed every two seconds so runs of a served
 * flow appear as they happen. Opening a run shows it on the canvas; "Run again" sends its input through Try it.
 *
 * <p>The database is only read on a background thread: a slow or absent store never holds the window.
 */
public final class RunsPanel extends BorderPane {
    static final int LIMIT = 500;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final String ALL = "any status";

    private final Supplier<String> flowName;
    private final Consumer<RunRecord> open;
    private final Consumer<RunRecord> runAgain;
    private final TextField storeField = new TextField();
    private final ChoiceBox<String> status = new ChoiceBox<>();
    private final TextField session = new TextField();
    private final TextField text = new TextField();
    private final ObservableList<RunRecord> shown = FXCollections.observableArrayList();
    private final ListView<RunRecord> list = new ListView<>(shown);
    private final Label message = new Label();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "runs-panel-reader");
        t.setDaemon(true);
        return t;
    });
    private final Timeline poll = new Timeline(new KeyFrame(Duration.seconds(2), e -> refresh()));
    private List<RunRecord> loaded = List.of();
    private Store store;
    private boolean reading;

    /**
     * @param flowName the name of the flow in the editor (its runs are listed)
     * @param open     shows a run on the canvas
     * @param runAgain sends a run's recorded input through the running flow
     */
    public RunsPanel(String storeUrl, Supplier<String> flowName, Consumer<RunRecord> open, Consumer<RunRecord> runAgain) {
        this.flowName = flowName;
        this.open = open;
        this.runAgain = runAgain;
        setId("runs");
        setPadding(new Insets(6));
        storeField.setId("runs-store");
        storeField.setText(storeUrl);
        storeField.setPrefColumnCount(18);
        storeField.setOnAction(e -> connect());
        Button connect = new Button("Open store");
        connect.setId("runs-connect");
        connect.setOnAction(e -> connect());
        status.setId("runs-status");
        status.getItems().add(ALL);
        for (RunStatus s : RunStatus.values()) {
            status.getItems().add(s.wireName());
        }
        status.setValue(ALL);
        status.valueProperty().addListener(o -> applyFilter());
        session.setId("runs-session");
        session.setPromptText("session");
        session.setPrefColumnCount(10);
        session.textProperty().addListener(o -> applyFilter());
        text.setId("runs-text");
        text.setPromptText("text in input, answer or error");
        text.textProperty().addListener(o -> applyFilter());
        HBox.setHgrow(text, Priority.ALWAYS);
        Label storeLabel = new Label("Store");
        storeLabel.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        connect.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox filters = new HBox(6, storeLabel, storeField, connect, status, session, text);
        filters.setAlignment(Pos.CENTER_LEFT);

        list.setId("runs-list");
        list.setCellFactory(v -> new RunCell());
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                openSelected();
            }
        });
        list.setPlaceholder(new Label("No runs recorded for this flow yet: serve it (flow serve) or open another store."));
        Button show = new Button("Show on canvas");
        show.setId("runs-open");
        show.setOnAction(e -> openSelected());
        Button again = new Button("Run again with these inputs");
        again.setId("runs-again");
        again.setOnAction(e -> {
            RunRecord run = list.getSelectionModel().getSelectedItem();
            if (run != null) {
                runAgain.accept(run);
            }
        });
        show.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        again.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        message.setId("runs-message");
        message.getStyleClass().add("hint");
        HBox actions = new HBox(6, show, again, message);
        actions.setAlignment(Pos.CENTER_LEFT);

        setTop(filters);
        setCenter(list);
        setBottom(actions);
        BorderPane.setMargin(list, new Insets(6, 0, 6, 0));
        poll.setCycleCount(Timeline.INDEFINITE);
    }

    /** Opens the store in the field and starts listing (and refreshing) its runs. */
    public void connect() {
        String url = storeField.getText().strip();
        message.setText("opening " + url + "…");
        reader.execute(() -> {
            Store opened;
            try {
                opened = JdbcStore.open(url);
            } catch (RuntimeException e) {
                Platform.runLater(() -> message.setText("Cannot open the store: " + e.getMessage()));
                return;
            }
            Platform.runLater(() -> {
                Store old = store;
                store = opened;
                if (old != null) {
                    reader.execute(old::close);
                }
                message.setText("");
                poll.play();
                refresh();
            });
        });
    }

    /** Reads the flow's latest runs again (off the UI thread), keeping the selection. */
    public void refresh() {
        Store s = store;
        if (s == null || reading) {
            return;
        }
        reading = true;
        String flow = flowName.get();
        reader.execute(() -> {
            try {
                List<RunRecord> runs = s.runs().list(flow, LIMIT);
                Platform.runLater(() -> {
                    reading = false;
                    loaded = runs;
                    applyFilter();
                });
            } catch (RuntimeException e) {
                Platform.runLater(() -> {
                    reading = false;
                    message.setText("Cannot read runs: " + e.getMessage());
                });
            }
        });
    }

    /** Stops refreshing and closes the store. */
    public void close() {
        poll.stop();
        Store s = store;
        store = null;
        reader.execute(() -> {
            if (s != null) {
                s.close();
            }
        });
        reader.shutdown();
    }

    public List<RunRecord> shownRuns() {
        return List.copyOf(shown);
    }

    private void openSelected() {
        RunRecord run = list.getSelectionModel().getSelectedItem();
        if (run != null) {
            open.accept(run);
        }
    }

    private void applyFilter() {
        String selectedId = list.getSelectionModel().getSelectedItem() == null ? null
                : list.getSelectionModel().getSelectedItem().id();
        List<RunRecord> matching = loaded.stream().filter(this::matches).toList();
        if (!matching.equals(shown)) {
            shown.setAll(matching);
        }
        if (selectedId != null) {
            shown.stream().filter(r -> r.id().equals(selectedId)).findFirst()
                    .ifPresent(r -> list.getSelectionModel().select(r));
        }
    }

    private boolean matches(RunRecord run) {
        if (!ALL.equals(status.getValue()) && !run.status().wireName().equals(status.getValue())) {
            return false;
        }
        String wantedSession = session.getText().strip();
        if (!wantedSession.isEmpty() && !wantedSession.equals(run.session())) {
            return false;
        }
        String wanted = text.getText().strip().toLowerCase(Locale.ROOT);
        if (wanted.isEmpty()) {
            return true;
        }
        StringBuilder haystack = new StringBuilder(run.id());
        if (run.input() != null) {
            run.input().forEach(m -> haystack.append('\n').append(m.content()));
        }
        haystack.append('\n').append(run.output() == null ? "" : run.output())
                .append('\n').append(run.error() == null ? "" : run.error());
        return haystack.toString().toLowerCase(Locale.ROOT).contains(wanted);
    }

    /** One line per run: when, status, route, time, tokens, and the start of what the client asked. */
    static String describe(RunRecord run) {
        String asked = run.input() == null || run.input().isEmpty() ? ""
                : run.input().get(run.input().size() - 1).content().replace('\n', ' ');
        if (asked.length() > 60) {
            asked = asked.substring(0, 59) + "…";
        }
        long ms = run.durationMillis();
        return WHEN.format(Instant.ofEpochMilli(run.started())) + "  " + run.status().wireName()
                + "  " + run.route() + (ms < 0 ? "" : " · " + ms + " ms")
                + (run.usage().completionTokens() > 0 ? " · " + run.usage().completionTokens() + " tok" : "")
                + (run.session() == null ? "" : " · session " + run.session())
                + (asked.isEmpty() ? "" : "  “" + asked + "”");
    }

    private static final class RunCell extends ListCell<RunRecord> {
        @Override
        protected void updateItem(RunRecord run, boolean empty) {
            super.updateItem(run, empty);
            setText(empty || run == null ? null : describe(run));
            getStyleClass().removeIf(c -> c.startsWith("run-status-"));
            if (!empty && run != null) {
                getStyleClass().add("run-status-" + run.status().wireName());
            }
        }
    }
}
