package dev.flowgraph.ui.run;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.control.TextArea;
import javafx.util.Duration;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The flow's log in the editor: a Logback appender queues lines from any thread, and the panel shows them a few
 * times a second, keeping the newest {@value #MAX_CHARS} characters.
 */
public final class LogPanel extends TextArea {
    private static final int MAX_CHARS = 200_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Appender appender = new Appender();
    private final Timeline pump = new Timeline(new KeyFrame(Duration.millis(200), e -> drain()));

    public LogPanel() {
        setId("log");
        getStyleClass().add("log-panel");
        setEditable(false);
        setWrapText(false);
        pump.setCycleCount(Timeline.INDEFINITE);
    }

    /** Starts collecting the log of every logger in this process. */
    public void attach() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        appender.setContext(context);
        appender.setName("editor-log-panel");
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        pump.play();
    }

    public void detach() {
        pump.stop();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(appender);
        }
        appender.stop();
    }

    private void drain() {
        StringBuilder batch = new StringBuilder();
        for (String line; (line = lines.poll()) != null; ) {
            batch.append(line).append('\n');
        }
        if (batch.isEmpty()) {
            return;
        }
        appendText(batch.toString());
        if (getLength() > MAX_CHARS) {
            deleteText(0, getLength() - MAX_CHARS);
        }
    }

    private final class Appender extends AppenderBase<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent event) {
            String logger = event.getLoggerName();
            String shortName = logger.substring(logger.lastIndexOf('.') + 1);
            lines.add(TIME.format(Instant.ofEpochMilli(event.getTimeStamp())) + "  " + event.getLevel() + "  "
                    + shortName + "  " + event.getFormattedMessage());
        }
    }
}
