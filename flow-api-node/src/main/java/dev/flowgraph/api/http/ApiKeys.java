package dev.flowgraph.api.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys clients may use, each with a name: the API element's single {@code apiKey} (named {@code default}), or a
 * keys file of {@code name: key} lines, read again when it changes (checked at most once a second), so a key can be
 * rotated without a restart. Keys are held as SHA-256 digests and never logged; their names are what logs and limits
 * use.
 */
public final class ApiKeys {
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final Pattern LINE = Pattern.compile("\\s*([A-Za-z0-9_.-]+)\\s*:\\s*([A-Za-z0-9._~+/=-]{8,})\\s*");
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path file;
    private volatile Map<String, String> namesByDigest;
    private volatile String anyKey;
    private volatile long modified;
    private volatile long checkedAt = System.nanoTime();

    private ApiKeys(Path file, Map<String, String> namesByDigest, String anyKey, long modified) {
        this.file = file;
        this.namesByDigest = namesByDigest;
        this.anyKey = anyKey;
        this.modified = modified;
    }

    /** One key, named {@code default}. */
    public static ApiKeys single(String key) {
        return new ApiKeys(null, Map.of(hex(key), "default"), key, 0);
    }

    /**
     * The keys of a keys file.
     *
     * @throws IllegalArgumentException naming the line that does not read (never quoting it: it may hold a key)
     */
    public static ApiKeys fromFile(Path file) throws IOException {
        Parsed parsed = parse(file);
        return new ApiKeys(file, parsed.namesByDigest(), parsed.anyKey(), Files.getLastModifiedTime(file).toMillis());
    }

    private record Parsed(Map<String, String> namesByDigest, String anyKey) {
    }

    private static Parsed parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> names = new LinkedHashMap<>();
        String any = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("keys file " + file + ", line " + (i + 1) + ": not 'name: key' "
                        + "(a name of letters, digits, '_', '.', '-'; a key of at least 8 letters, digits or ._~+/=-)");
            }
            if (names.containsValue(m.group(1))) {
                throw new IllegalArgumentException("keys file " + file + ", line " + (i + 1) + ": the name '"
                        + m.group(1) + "' is used twice");
            }
            names.put(hex(m.group(2)), m.group(1));
            any = any == null ? m.group(2) : any;
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("keys file " + file + " has no 'name: key' line");
        }
        return new Parsed(java.util.Collections.unmodifiableMap(names), any); // file order, for the log
    }

    /** The name of a given key, or empty when it is not one of the keys. */
    public Optional<String> nameOf(String given) {
        reloadIfChanged();
        return Optional.ofNullable(namesByDigest.get(hex(given)));
    }

    /** A valid key, for the server's own warm-up requests. */
    String anyKey() {
        return anyKey;
    }

    private void reloadIfChanged() {
        long now = System.nanoTime();
        if (file == null || now - checkedAt < RECHECK_NANOS) {
            return;
        }
        checkedAt = now;
        try {
            long time = Files.getLastModifiedTime(file).toMillis();
            if (time == modified) {
                return;
            }
            Parsed parsed = parse(file);
            namesByDigest = parsed.namesByDigest();
            anyKey = parsed.anyKey();
            modified = time;
            log.info("keys file {} read again: {} keys ({})", file, parsed.namesByDigest().size(),
                    String.join(", ", parsed.namesByDigest().values()));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("keys file {} could not be read again, the keys read before stay: {}", file, e.getMessage());
            modified = modifiedOrZero();
        }
    }

    private long modifiedOrZero() {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
