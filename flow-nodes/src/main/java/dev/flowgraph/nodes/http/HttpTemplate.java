package dev.flowgraph.nodes.http;

import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Run;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP call whose URL and body are templates, as the HTTP request node and the HTTP tool declare it (method, url,
 * body, contentType, headers, timeoutSeconds) and make it: {@code {{name}}} is a value as text (URL-encoded in the URL),
 * {@code {{name.json}}} the value as JSON. An answer outside 2xx, or none in time, fails the call; header values (keys)
 * never appear in its errors.
 */
final class HttpTemplate {
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z_][A-Za-z0-9_]*)(\\.json)?}}");
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final int EXCERPT = 200;

    private final NodeContext context;
    private final String method;
    private final String url;
    private final String body;
    private final String contentType;
    private final Duration timeout;
    private Map<String, String> headers;
    private HttpClient client;

    HttpTemplate(NodeContext context) {
        this.context = context;
        var s = context.settings();
        this.method = s.string("method");
        this.url = s.string("url");
        this.body = s.string("body");
        this.contentType = s.string("contentType");
        this.timeout = Duration.ofMillis((long) (s.number("timeoutSeconds") * 1000));
    }

    /** The settings of a templated call; {@code placeholders} says what the {{...}} in url and body are. */
    static NodeDescriptor.Builder declare(NodeDescriptor.Builder builder, String placeholders) {
        return builder
                .setting(SettingSpec.choice("method", "GET", "GET", "POST", "PUT", "PATCH", "DELETE")
                        .help("The HTTP method."))
                .setting(SettingSpec.string("url", "").asRequired().help("The address, http:// or https://. "
                        + placeholders + " In the URL they are URL-encoded."))
                .setting(SettingSpec.text("body", "").help("The request body (not sent with GET or DELETE); empty: "
                        + "none. " + placeholders))
                .setting(SettingSpec.string("contentType", "application/json").help("The body's Content-Type."))
                .setting(SettingSpec.stringList("headers").asSecret().help("One header per line, 'Name: value'. Values "
                        + "may hold ${env:NAME} anywhere, read when the flow starts, so keys stay out of the file."))
                .setting(SettingSpec.number("timeoutSeconds", 30.0).range(0.1, 3600).help("How long the whole call "
                        + "may take before it fails."));
    }

    static List<SettingProblem> problems(String url, List<String> headers) {
        List<SettingProblem> problems = new ArrayList<>();
        if (!url.isEmpty() && !url.startsWith("${env:") && !url.matches("(?i)https?://.+")) {
            problems.add(new SettingProblem("url", "must start with http:// or https://"));
        }
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.get(i).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+:.*")) {
                problems.add(new SettingProblem("headers", "line " + (i + 1) + " is not 'Name: value'"));
            }
        }
        return problems;
    }

    /** The names of the placeholders in {@code texts}, in order of first appearance. */
    static Set<String> placeholders(String... texts) {
        Set<String> names = new LinkedHashSet<>();
        for (String text : texts) {
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** A 2xx answer: where the call went ({@code POST https://host/path}) and the body. */
    record Answer(String where, String body) {
    }

    void start() {
        headers = new LinkedHashMap<>();
        for (String line : context.settings().stringList("headers")) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip(), resolveEnv(line.substring(colon + 1).strip()));
        }
        client = HttpClient.newBuilder().connectTimeout(timeout).executor(context.workers()).build();
    }

    String url() {
        return url;
    }

    String body() {
        return body;
    }

    private String resolveEnv(String value) {
        Matcher m = ENV.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = context.options().environment().apply(m.group(1));
            if (v == null) {
                throw new IllegalStateException("a header of setting 'headers' reads environment variable "
                        + m.group(1) + ", which is not set");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        return m.appendTail(sb).toString();
    }

    /**
     * Makes the call for {@code run} (cancelled with it): completes with the answer's body when it is 2xx, else
     * exceptionally with where it went and what came back.
     *
     * @param texts each placeholder's value as text; {@code jsons} as JSON (for {{name.json}})
     */
    CompletableFuture<Answer> call(Run run, Map<String, String> texts, Map<String, String> jsons) {
        URI uri = URI.create(fill(url, texts, jsons, true));
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri).timeout(timeout);
        headers.forEach(request::header);
        boolean sendsBody = !body.isEmpty() && !method.equals("GET") && !method.equals("DELETE");
        if (sendsBody) {
            request.header("Content-Type", contentType);
        }
        request.method(method, sendsBody
                ? java.net.http.HttpRequest.BodyPublishers.ofString(fill(body, texts, jsons, false))
                : java.net.http.HttpRequest.BodyPublishers.noBody());
        String where = method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofString());
        if (run != null) {
            run.onCancel(() -> call.cancel(true));
        }
        return call.handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                String why = cause instanceof java.net.http.HttpTimeoutException
                        ? "no answer within " + timeout.toMillis() / 1000.0 + " s"
                        : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                throw new IllegalStateException(where + " failed: " + redact(why));
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(where + " answered HTTP " + response.statusCode() + ": "
                        + redact(excerpt(response.body())));
            }
            return new Answer(where, response.body());
        });
    }

    private static String fill(String template, Map<String, String> texts, Map<String, String> jsons, boolean encode) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = (m.group(2) == null ? texts : jsons).get(m.group(1));
            if (value == null) {
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String put = encode ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20") : value;
            m.appendReplacement(sb, Matcher.quoteReplacement(put));
        }
        return m.appendTail(sb).toString();
    }

    /** Header values (keys) never leave the node, even when a service echoes them back. */
    String redact(String text) {
        String redacted = text;
        List<String> secrets = new ArrayList<>(headers.values());
        for (String value : headers.values()) { // "Bearer KEY": the key alone may come back too
            for (String token : value.split("\\s+")) {
                if (token.length() >= 8) {
                    secrets.add(token);
                }
            }
        }
        for (String secret : secrets) {
            if (secret.length() >= 4) {
                redacted = redacted.replace(secret, "[header value]");
            }
        }
        return redacted;
    }

    private static String excerpt(String body) {
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.isEmpty() ? "(empty answer)" : flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "…";
    }
}
