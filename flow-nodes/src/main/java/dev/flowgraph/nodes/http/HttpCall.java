package dev.flowgraph.nodes.http;

import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.core.value.WholeInput;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running HTTP request node: one call per run, off the mailbox, cancelled with its run. */
final class HttpCall implements NodeBehavior {
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final int EXCERPT = 200;

    private final NodeContext context;
    private final Outlet out;
    private final WholeInput input;
    private final String method;
    private final String url;
    private final String body;
    private final String contentType;
    private final Duration timeout;
    private final boolean json;
    private Map<String, String> headers;
    private HttpClient client;

    HttpCall(NodeContext context) {
        this.context = context;
        var s = context.settings();
        this.out = context.output("response");
        this.method = s.string("method");
        this.url = s.string("url");
        this.body = s.string("body");
        this.contentType = s.string("contentType");
        this.timeout = Duration.ofMillis((long) (s.number("timeoutSeconds") * 1000));
        this.json = s.string("answer").equals("json");
        this.input = new WholeInput(out, this::call);
    }

    @Override
    public void start() {
        headers = new LinkedHashMap<>();
        for (String line : context.settings().stringList("headers")) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip(), resolveEnv(line.substring(colon + 1).strip()));
        }
        client = HttpClient.newBuilder().connectTimeout(timeout).executor(context.workers()).build();
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

    @Override
    public void receive(String inputPort, Packet packet) throws Exception {
        input.receive(packet);
    }

    private void call(Run run, Object value, Packet.End end) {
        String text = Values.text(value);
        String jsonText = Values.jsonOrText(value).toString();
        URI uri = URI.create(url.replace("{{input}}", URLEncoder.encode(text, StandardCharsets.UTF_8)
                .replace("+", "%20")).replace("{{json}}", URLEncoder.encode(jsonText, StandardCharsets.UTF_8)));
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri).timeout(timeout);
        headers.forEach(request::header);
        boolean sendsBody = !body.isEmpty() && !method.equals("GET") && !method.equals("DELETE");
        if (sendsBody) {
            request.header("Content-Type", contentType);
        }
        request.method(method, sendsBody
                ? java.net.http.HttpRequest.BodyPublishers.ofString(body.replace("{{input}}", text)
                        .replace("{{json}}", jsonText))
                : java.net.http.HttpRequest.BodyPublishers.noBody());
        String where = method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofString());
        run.onCancel(() -> call.cancel(true));
        call.whenComplete((response, error) -> answered(run, where, response, error));
    }

    private void answered(Run run, String where, HttpResponse<String> response, Throwable error) {
        if (run.isCancelled()) {
            out.emit(new Packet.End(run, null, Packet.End.CANCELLED));
            return;
        }
        try {
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
            Object answer = json ? parse(where, response.body()) : response.body();
            out.emit(new Packet.Delta(run, answer));
            out.emit(Packet.End.of(run));
        } catch (RuntimeException e) {
            context.fail(run, e);
        }
    }

    private Object parse(String where, String text) {
        try {
            return Values.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " answered with text that is " + redact(e.getMessage()));
        }
    }

    /** Header values (keys) never leave the node, even when a service echoes them back. */
    private String redact(String text) {
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
