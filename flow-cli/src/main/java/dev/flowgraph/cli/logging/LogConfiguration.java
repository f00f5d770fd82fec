package dev.flowgraph.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Map;

/**
 * The flow command's logging, set up in code rather than from a logback.xml: parsing the XML took about 0.1 s of
 * every start (measured). Logs go to stderr, so that {@code flow run} prints the answer alone on stdout.
 * {@code FLOW_LOG_LEVEL} sets Flowgraph's own level (INFO), {@code FLOW_LLAMA_LOG_LEVEL} llama.cpp's log (ERROR, caught
 * from its stderr); {@code -Dlogback.configurationFile=FILE} still replaces all of it with a file of one's own.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfiguration extends ContextAwareBase implements Configurator {
    /** Loggers quieter than their default, and why. */
    private static final Map<String, Level> QUIETER = Map.of(
            "org.xnio", Level.WARN,
            "io.undertow", Level.WARN,
            // The tokenizer library of the built-in embedder looks for a GPU and warns when there is none.
            "ai.djl", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's own file, read by logback's next configurator
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("dev.flowgraph").setLevel(level("FLOW_LOG_LEVEL", Level.INFO));
        context.getLogger("llama.cpp").setLevel(level("FLOW_LLAMA_LOG_LEVEL", Level.ERROR));
        QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static Level level(String variable, Level fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Level.toLevel(value.strip(), fallback);
    }
}
