package dev.flowgraph.ui.properties;

import dev.flowgraph.core.node.SettingSpec;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/** Builds the field for a setting: text, multi-line text, number, choice, check box, file path or secret. */
final class SettingFields {
    private SettingFields() {
    }

    /**
     * @param baseDir where relative paths are taken from (the flow file's folder), for the file chooser
     * @param error   where a complaint about the value is shown, as the user types
     */
    static SettingField create(SettingSpec spec, String idPrefix, SettingField.Sink sink, Label error,
                               Supplier<Path> baseDir) {
        return switch (spec.type()) {
            case BOOLEAN -> booleanField(spec, idPrefix, sink);
            case CHOICE -> choiceField(spec, idPrefix, sink);
            case TEXT, STRING_LIST -> textField(spec, idPrefix, new TextArea(), sink, error, null);
            case PATH -> pathField(spec, idPrefix, sink, error, baseDir);
            default -> spec.secret() ? secretField(spec, idPrefix, sink, error)
                    : textField(spec, idPrefix, new TextField(), sink, error, null);
        };
    }

    private static SettingField booleanField(SettingSpec spec, String idPrefix, SettingField.Sink sink) {
        CheckBox box = new CheckBox();
        box.setId(idPrefix + spec.name());
        boolean[] showing = {false};
        box.selectedProperty().addListener((o, a, b) -> {
            if (!showing[0]) {
                sink.accept(Objects.equals(b, spec.defaultValue()) ? null : b);
            }
        });
        return new SettingField() {
            @Override
            public Node node() {
                return box;
            }

            @Override
            public void show(Object value) {
                showing[0] = true;
                box.setSelected(Boolean.TRUE.equals(value == null ? spec.defaultValue() : value));
                showing[0] = false;
            }
        };
    }

    private static SettingField choiceField(SettingSpec spec, String idPrefix, SettingField.Sink sink) {
        ComboBox<String> combo = new ComboBox<>();
        combo.getItems().setAll(spec.choices());
        combo.setId(idPrefix + spec.name());
        combo.setMaxWidth(Double.MAX_VALUE);
        boolean[] showing = {false};
        combo.valueProperty().addListener((o, a, b) -> {
            if (!showing[0]) {
                sink.accept(Objects.equals(b, spec.defaultValue()) ? null : b);
            }
        });
        return new SettingField() {
            @Override
            public Node node() {
                return combo;
            }

            @Override
            public void show(Object value) {
                showing[0] = true;
                combo.setValue(String.valueOf(value == null ? spec.defaultValue() : value));
                showing[0] = false;
            }
        };
    }

    /** A text input whose every edit is checked at once and, when it reads as a value, passed on. */
    private static SettingField textField(SettingSpec spec, String idPrefix, TextInputControl input,
                                          SettingField.Sink sink, Label error, Node wrapper) {
        input.setId(idPrefix + spec.name());
        if (spec.defaultValue() != null) {
            input.setPromptText(SettingField.format(spec, spec.defaultValue()) + " (default)");
        }
        if (input instanceof TextArea area) {
            area.setPrefRowCount(3);
            area.setWrapText(true);
        }
        boolean[] showing = {false};
        input.textProperty().addListener((o, a, text) -> {
            SettingField.Parsed parsed = SettingField.parse(spec, text);
            String problem = SettingField.check(spec, parsed).orElse(null);
            mark(input, error, problem);
            if (!showing[0] && parsed.error() == null) {
                sink.accept(parsed.value());
            }
        });
        return new SettingField() {
            @Override
            public Node node() {
                return wrapper == null ? input : wrapper;
            }

            @Override
            public void show(Object value) {
                String text = SettingField.format(spec, value);
                // The echo of what is being typed ("0" for "0.", "5" for "5.0") must not rewrite the field.
                boolean same = java.util.Objects.equals(SettingField.parse(spec, input.getText()).value(), value);
                if (!same && !text.equals(input.getText())) {
                    showing[0] = true;
                    input.setText(text);
                    showing[0] = false;
                }
                mark(input, error, SettingField.check(spec, SettingField.parse(spec, input.getText())).orElse(null));
            }
        };
    }

    private static SettingField pathField(SettingSpec spec, String idPrefix, SettingField.Sink sink, Label error,
                                          Supplier<Path> baseDir) {
        TextField text = new TextField();
        Button browse = new Button("…");
        browse.setId(idPrefix + spec.name() + "-browse");
        HBox.setHgrow(text, Priority.ALWAYS);
        HBox row = new HBox(4, text, browse);
        row.setAlignment(Pos.CENTER_LEFT);
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Choose " + spec.name());
            Path base = baseDir.get();
            if (spec.name().toLowerCase().contains("model")) {
                chooser.getExtensionFilters().addAll(
                        new FileChooser.ExtensionFilter("GGUF models", "*.gguf"),
                        new FileChooser.ExtensionFilter("All files", "*"));
                Path models = base.resolve("models");
                chooser.setInitialDirectory((models.toFile().isDirectory() ? models : base).toFile());
            } else {
                chooser.setInitialDirectory(base.toFile());
            }
            File chosen = chooser.showOpenDialog(row.getScene().getWindow());
            if (chosen != null) {
                Path p = chosen.toPath().toAbsolutePath().normalize();
                Path b = base.toAbsolutePath().normalize();
                text.setText((p.startsWith(b) ? b.relativize(p) : p).toString());
            }
        });
        return textField(spec, idPrefix, text, sink, error, row);
    }

    /** A masked field with a Show toggle; {@code ${env:NAME}} references are shown in clear, they are not secrets. */
    private static SettingField secretField(SettingSpec spec, String idPrefix, SettingField.Sink sink, Label error) {
        PasswordField masked = new PasswordField();
        TextField plain = new TextField();
        plain.textProperty().bindBidirectional(masked.textProperty());
        masked.setId(idPrefix + spec.name() + "-masked");
        ToggleButton reveal = new ToggleButton("Show");
        reveal.setId(idPrefix + spec.name() + "-show");
        plain.visibleProperty().bind(reveal.selectedProperty());
        masked.visibleProperty().bind(reveal.selectedProperty().not());
        StackPane both = new StackPane(masked, plain);
        HBox.setHgrow(both, Priority.ALWAYS);
        HBox row = new HBox(4, both, reveal);
        row.setAlignment(Pos.CENTER_LEFT);
        SettingField inner = textField(spec, idPrefix, plain, sink, error, row);
        masked.promptTextProperty().bind(plain.promptTextProperty());
        return new SettingField() {
            @Override
            public Node node() {
                return row;
            }

            @Override
            public void show(Object value) {
                inner.show(value);
                if (SettingSpec.isEnvReference(value)) {
                    reveal.setSelected(true);
                }
            }
        };
    }

    private static void mark(Node input, Label error, String problem) {
        input.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("invalid"), problem != null);
        error.setText(problem == null ? "" : problem);
        error.setVisible(problem != null);
        error.setManaged(problem != null);
    }

    static VBox labelled(Node... children) {
        VBox box = new VBox(3, children);
        box.getStyleClass().add("setting");
        return box;
    }
}
