package dev.flowgraph.nodes.llm;

import org.slf4j.Logger;
import org.slf4j.event.Level;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns the lines llama.cpp prints into log events at their own level.
 * <p>
 * Models are loaded with llama.cpp's log prefix on, so each entry starts with its level letter ({@code I }, {@code W },
 * {@code E }, {@code D }). A line without one continues the entry before it (a multi-line message, the progress dots),
 * except the line {@code ggml_abort} prints before the process dies ({@code file.c:123: GGML_ASSERT(…) failed}),
 * which is an error, like the backtrace lines after it.
 */
final class LlamaLogLines implements Consumer<String> {
    private static final Pattern ABORT = Pattern.compile("^\\S+\\.(c|cc|cpp|h|hpp):\\d+: .*|.*GGML_ASSERT.*");

    private final Logger log;
    private Level level = Level.INFO; // lines printed before llama.cpp's logger is set up carry no prefix

    LlamaLogLines(Logger log) {
        this.log = log;
    }

    @Override
    public void accept(String line) {
        String text = line;
        Level prefixed = prefixLevel(line);
        if (prefixed != null) {
            level = prefixed;
            text = line.substring(2);
        } else if (ABORT.matcher(line).matches()) {
            level = Level.ERROR;
        }
        if (!text.isBlank()) {
            log(level, text.stripTrailing());
        }
    }

    private static Level prefixLevel(String line) {
        if (line.length() < 2 || line.charAt(1) != ' ') {
            return null;
        }
        return switch (line.charAt(0)) {
            case 'I' -> Level.INFO;
            case 'W' -> Level.WARN;
            case 'E' -> Level.ERROR;
            case 'D' -> Level.DEBUG;
            default -> null;
        };
    }

    private void log(Level at, String text) {
        switch (at) {
            case ERROR -> log.error(text);
            case WARN -> log.warn(text);
            case INFO -> log.info(text);
            case DEBUG -> log.debug(text);
            default -> log.trace(text);
        }
    }
}
