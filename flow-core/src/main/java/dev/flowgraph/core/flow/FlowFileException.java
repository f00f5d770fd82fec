package dev.flowgraph.core.flow;

/** A flow file that cannot be read: the message names the problem and where it is (a JSON path, or line and column). */
public class FlowFileException extends Exception {
    private final String where;

    public FlowFileException(String where, String problem) {
        super(where + ": " + problem);
        this.where = where;
    }

    public FlowFileException(String where, String problem, Throwable cause) {
        super(where + ": " + problem, cause);
        this.where = where;
    }

    /** A JSON path such as {@code $.nodes[2].settings.port}, or {@code line 4, column 7}. */
    public String where() {
        return where;
    }
}
