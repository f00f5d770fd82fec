package dev.flowgraph.ui.problems;

import dev.flowgraph.core.validate.Problem;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;

import java.util.List;
import java.util.function.Consumer;

/** Every problem the validator finds in the flow, kept current as the flow is edited; a click selects its node. */
public final class ProblemsPanel extends ListView<Problem> {

    public ProblemsPanel(Consumer<String> selectNode) {
        setId("problems");
        getStyleClass().add("problems");
        setPlaceholder(new javafx.scene.control.Label("No problems: the flow is ready to run."));
        setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Problem p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : (p.nodeId() == null ? "" : p.nodeId() + ": ") + p.message());
                getStyleClass().remove("problem-row");
                if (!empty) {
                    getStyleClass().add("problem-row");
                }
            }
        });
        // A click (not a selection change), so clicking the same problem again after looking elsewhere still works.
        setOnMouseClicked(e -> {
            Problem p = getSelectionModel().getSelectedItem();
            if (p != null && p.nodeId() != null) {
                selectNode.accept(p.nodeId());
            }
        });
    }

    public void show(List<Problem> problems) {
        getItems().setAll(problems);
    }
}
