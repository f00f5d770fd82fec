package dev.flowgraph.ui.run;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.Role;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

import java.util.ArrayList;
import java.util.List;

/**
 * Chat with the running flow: a message goes through the flow's API element (in-process) and the answer streams
 * in. Tokens arrive on the flow's threads; they are gathered and shown once per frame, never one UI task per token.
 */
public final class TryItPanel extends BorderPane {
    private final FlowSession session;
    private final TextArea transcript = new TextArea();
    private final TextField input = new TextField();
    private final Button send = new Button("Send");
    private final Button cancel = new Button("Cancel");
    private final Label status = new Label();
    private final List<ChatMessage> conversation = new ArrayList<>();
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder answer = new StringBuilder();
    private final BooleanProperty streaming = new SimpleBooleanProperty();
    private volatile Packet terminal;
    private Run current;
    private long startedAt;
    private final AnimationTimer pump = new AnimationTimer() {
        @Override
        public void handle(long now) {
            drain();
        }
    };

    public TryItPanel(FlowSession session) {
        this.session = session;
        setId("try-it");
        getStyleClass().add("try-it");
        transcript.setId("try-it-transcript");
        transcript.setEditable(false);
        transcript.setWrapText(true);
        transcript.setPromptText("Run the flow, then write a message below: it goes through the flow's API element "
                + "and the answer streams here.");
        input.setId("try-it-input");
        input.setPromptText("Message, e.g. Once upon a time,");
        send.setId("try-it-send");
        cancel.setId("try-it-cancel");
        Button clear = new Button("Clear");
        clear.setId("try-it-clear");
        status.setId("try-it-status");
        status.getStyleClass().add("hint");
        HBox.setHgrow(input, Priority.ALWAYS);
        HBox bar = new HBox(6, input, send, cancel, clear);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 0, 0, 0));
        setCenter(transcript);
        setBottom(new javafx.scene.layout.VBox(4, bar, status));
        setPadding(new Insets(6));

        send.disableProperty().bind(Bindings.createBooleanBinding(
                () -> streaming.get() || session.statusProperty().get() != FlowSession.Status.RUNNING
                        || input.getText().isBlank(),
                streaming, session.statusProperty(), input.textProperty()));
        cancel.disableProperty().bind(streaming.not());
        send.setOnAction(e -> send());
        input.setOnAction(e -> {
            if (!send.isDisabled()) {
                send();
            }
        });
        cancel.setOnAction(e -> {
            if (current != null) {
                current.cancel("cancelled in the editor");
            }
        });
        clear.setOnAction(e -> {
            conversation.clear();
            transcript.clear();
            status.setText("");
        });
    }

    public String transcriptText() {
        return transcript.getText();
    }

    /**
     * Starts over with a recorded conversation (a run from history, run again): its messages are sent as they were,
     * the last user message shown as the turn.
     *
     * @return false when the flow is not running or an answer is still streaming
     */
    public boolean resend(List<ChatMessage> messages) {
        if (streaming.get() || session.statusProperty().get() != FlowSession.Status.RUNNING || messages.isEmpty()) {
            return false;
        }
        conversation.clear();
        transcript.clear();
        conversation.addAll(messages.subList(0, messages.size() - 1));
        sendTurn(messages.get(messages.size() - 1));
        return true;
    }

    private void send() {
        String text = input.getText().strip();
        input.clear();
        sendTurn(new ChatMessage(Role.USER, text));
    }

    private void sendTurn(ChatMessage turn) {
        conversation.add(turn);
        transcript.appendText((transcript.getText().isEmpty() ? "" : "\n\n") + "You: " + turn.content() + "\n\nFlow: ");
        answer.setLength(0);
        terminal = null;
        streaming.set(true);
        status.setText("streaming…");
        startedAt = System.nanoTime();
        try {
            current = session.send(new ChatRequest(List.copyOf(conversation)), packet -> {
                if (packet instanceof Packet.Delta d) {
                    synchronized (pending) {
                        pending.append(d.value());
                    }
                } else {
                    terminal = packet;
                }
            });
            pump.start();
        } catch (RuntimeException e) {
            streaming.set(false);
            status.setText(e.getMessage());
        }
    }

    /** Once per frame: shows the text gathered since the last frame; ends the turn when the stream has ended. */
    private void drain() {
        Packet end = terminal;
        String chunk;
        synchronized (pending) {
            chunk = pending.toString();
            pending.setLength(0);
        }
        if (!chunk.isEmpty()) {
            answer.append(chunk);
            transcript.appendText(chunk);
        }
        if (end == null) {
            return;
        }
        pump.stop();
        streaming.set(false);
        current = null;
        double ms = (System.nanoTime() - startedAt) / 1e6;
        if (end instanceof Packet.End e) {
            conversation.add(new ChatMessage(Role.ASSISTANT, answer.toString()));
            status.setText(String.format("%d tokens in %.0f ms · finish: %s", e.usage().completionTokens(), ms,
                    e.finishReason()));
        } else if (end instanceof Packet.Failure f) {
            transcript.appendText(" [error: " + f.message() + "]");
            status.setText("failed: " + f.message());
        }
    }
}
