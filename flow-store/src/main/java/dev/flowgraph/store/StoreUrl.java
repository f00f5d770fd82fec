package dev.flowgraph.store;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A {@code --store} value read as a database: {@code jdbc:sqlite:FILE} (or {@code sqlite:FILE}, or a path ending in
 * {@code .db}) for an embedded SQLite file, {@code jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P} (or
 * {@code postgresql://U:P@HOST[:PORT]/DB}) for a shared PostgreSQL.
 *
 * @param jdbcUrl   what the driver is given
 * @param shown     the same without its password, fit for logs and messages
 * @param sqliteFile the database file, for SQLite; null for PostgreSQL
 */
public record StoreUrl(String jdbcUrl, String shown, Path sqliteFile) {
    /** The embedded default, under the working directory. */
    public static final String DEFAULT = "jdbc:sqlite:data/flowgraph.db";

    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&]*");
    private static final Pattern URI_USER_INFO = Pattern.compile("^postgres(?:ql)?://(?:([^:@/]*)(?::([^@/]*))?@)?(.*)$");

    public boolean isSqlite() {
        return sqliteFile != null;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong (without the password)
     */
    public static StoreUrl parse(String value) {
        String v = value.strip();
        if (v.startsWith("jdbc:sqlite:") || v.startsWith("sqlite:")) {
            String file = v.substring(v.indexOf("sqlite:") + "sqlite:".length());
            int query = file.indexOf('?');
            return sqlite(query < 0 ? file : file.substring(0, query));
        }
        if (v.startsWith("jdbc:postgresql://")) {
            return new StoreUrl(v, PASSWORD_PARAM.matcher(v).replaceAll("$1***"), null);
        }
        var uri = URI_USER_INFO.matcher(v);
        if (uri.matches()) {
            StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.group(3));
            String shown = jdbc.toString();
            if (uri.group(1) != null && !uri.group(1).isEmpty()) {
                char sep = jdbc.indexOf("?") < 0 ? '?' : '&';
                jdbc.append(sep).append("user=").append(uri.group(1));
                shown = shown + sep + "user=" + uri.group(1);
                if (uri.group(2) != null) {
                    jdbc.append("&password=").append(uri.group(2));
                    shown = shown + "&password=***";
                }
            }
            return new StoreUrl(jdbc.toString(), shown, null);
        }
        if (v.endsWith(".db") || v.endsWith(".sqlite") || v.endsWith(".sqlite3")) {
            return sqlite(v);
        }
        throw new IllegalArgumentException("'" + PASSWORD_PARAM.matcher(v).replaceAll("$1***") + "' is not a store: give "
                + "jdbc:sqlite:FILE, jdbc:postgresql://HOST:PORT/DB?user=U&password=P, or none");
    }

    private static StoreUrl sqlite(String file) {
        if (file.isBlank()) {
            throw new IllegalArgumentException("jdbc:sqlite: needs a file, such as jdbc:sqlite:data/flowgraph.db");
        }
        Path path = Path.of(file).toAbsolutePath().normalize();
        return new StoreUrl("jdbc:sqlite:" + path, "jdbc:sqlite:" + path, path);
    }
}
