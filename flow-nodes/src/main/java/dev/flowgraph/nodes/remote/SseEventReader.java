package dev.flowgraph.nodes.remote;

/**
 * Gathers the lines of a server-sent event stream into events: an event's data lines joined by newlines,
 * handed out at the blank line that ends it. One leading space after {@code data:} is dropped, as the format says.
 */
final class SseEventReader {
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** @return the data of the event this line ends, or null when it ends none (or one without data) */
    String line(String line) {
        if (line.isEmpty()) {
            return end();
        }
        if (line.equals("data") || line.startsWith("data:")) {
            String value = line.length() <= 5 ? "" : line.substring(line.charAt(5) == ' ' ? 6 : 5);
            if (hasData) {
                data.append('\n');
            }
            data.append(value);
            hasData = true;
        }
        // event:, id:, retry: and comments carry nothing a model's answer needs
        return null;
    }

    /** The data of an event the stream left unfinished (no closing blank line), or null. */
    String end() {
        if (!hasData) {
            return null;
        }
        String event = data.toString();
        data.setLength(0);
        hasData = false;
        return event;
    }
}
