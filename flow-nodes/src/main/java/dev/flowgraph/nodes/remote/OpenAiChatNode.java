package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.chat.ChatInput;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The running OpenAI-compatible chat node: one HTTP call per run, streamed back as deltas. */
final class OpenAiChatNode implements NodeBehavior {
    private static final Logger log = LoggerFactory.getLogger(OpenAiChatNode.class);

    private final NodeContext context;
    private final Outlet out;
    private final URI endpoint;
    private final String apiKey;
    private final String service;
    private final ChatCompletions.Dialect dialect;
    private final ChatCompletions.Defaults defaults;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final ChatInput chat;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "remote-timeouts");
        t.setDaemon(true);
        return t;
    });
    private HttpClient client;

    OpenAiChatNode(NodeContext context) {
        this.context = context;
        NodeSettings s = context.settings();
        this.out = context.output("text");
        this.chat = new ChatInput(out, (run, request) -> context.workers().execute(() -> call(run, request)));
        String base = s.string("baseUrl").replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/chat/completions");
        this.apiKey = s.string("apiKey");
        this.service = "chat service at " + base;
        this.dialect = ChatCompletions.Dialect.of(s.string("dialect"));
        this.defaults = new ChatCompletions.Defaults(s.string("model"), s.bool("stream"), s.integer("maxTokens"),
                s.number("temperature"), s.number("topP"), s.number("presencePenalty"), s.number("frequencyPenalty"));
        this.connectTimeout = Duration.ofSeconds(s.integer("connectTimeoutSeconds"));
        this.readTimeout = Duration.ofSeconds(s.integer("readTimeoutSeconds"));
    }

    @Override
    public void start() {
        client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public void receive(String inputPort, Packet packet) {
        chat.receive(packet);
    }

    /** One call: sends the conversation, emits the answer's pieces, ends with usage, or fails the run. */
    private void call(Run run, ChatRequest request) {
        Exchange exchange = new Exchange(run);
        try {
            exchange.run(request);
        } catch (RemoteCallException e) {
            fail(run, e.getMessage());
        } finally {
            exchange.finish();
        }
    }

    private void fail(Run run, String message) {
        log.warn("node '{}' {}: {}", context.nodeId(), run, message);
        run.trace().error(context.nodeId(), message);
        out.emit(new Packet.Failure(run, context.nodeId(), message));
    }

    /** The state of one HTTP call: its body stream, so cancelling or a timeout can close it from outside. */
    private final class Exchange {
        private final Run run;
        private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private volatile CompletableFuture<HttpResponse<InputStream>> response;
        private volatile InputStream body;
        private ScheduledFuture<?> timer;

        Exchange(Run run) {
            this.run = run;
        }

        void run(ChatRequest request) throws RemoteCallException {
            HttpRequest.Builder http = HttpRequest.newBuilder(endpoint)
                    .timeout(readTimeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", defaults.stream() ? "text/event-stream" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ChatCompletions.requestBody(request, defaults, dialect)));
            if (!apiKey.isEmpty()) {
                http.header("Authorization", "Bearer " + apiKey);
            }
            run.onCancel(this::abort);
            long period = Math.max(200, Math.min(1000, readTimeout.toMillis() / 4));
            timer = watchdog.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
            if (run.isCancelled()) {
                out.emit(new Packet.End(run, Usage.NONE, "cancelled"));
                return;
            }
            HttpResponse<InputStream> answer = send(http.build());
            body = answer.body();
            if (run.isCancelled()) {
                abort();
            }
            if (answer.statusCode() >= 400) {
                String text = readAll(answer.body());
                throw new RemoteCallException(service + " answered HTTP " + answer.statusCode() + ": "
                        + ChatCompletions.errorText(text));
            }
            read(answer);
        }

        private HttpResponse<InputStream> send(HttpRequest request) throws RemoteCallException {
            response = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
            try {
                return response.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteCallException(service + ": interrupted");
            } catch (java.util.concurrent.CancellationException e) {
                throw new RemoteCallException(service + ": call cancelled (" + run.cancelReason() + ")");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof ConnectException || cause instanceof java.net.http.HttpConnectTimeoutException) {
                    throw new RemoteCallException(service + " refused or did not take the connection ("
                            + describe(cause) + ")");
                }
                if (cause instanceof HttpTimeoutException) {
                    throw new RemoteCallException(service + " did not answer within " + readTimeout.toSeconds() + " s");
                }
                throw new RemoteCallException(service + ": " + describe(cause));
            }
        }

        /** Reads the answer: server-sent events line by line, or one JSON body. */
        private void read(HttpResponse<InputStream> answer) throws RemoteCallException {
            String type = answer.headers().firstValue("Content-Type").orElse("");
            int pieces = 0;
            String finish = null;
            Usage usage = null;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
                if (type.contains("event-stream")) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        lastActivity.set(System.nanoTime());
                        String data = ChatCompletions.sseData(line).orElse(null);
                        if (data == null || data.isBlank()) {
                            continue; // event names, comments, keep-alives, blank separators
                        }
                        if (data.strip().equals("[DONE]")) {
                            break;
                        }
                        ChatCompletions.Piece piece = ChatCompletions.parse(service, data);
                        if (!piece.text().isEmpty()) {
                            out.emit(new Packet.Delta(run, piece.text()));
                            pieces++;
                        }
                        finish = piece.finishReason() != null ? piece.finishReason() : finish;
                        usage = piece.usage() != null ? piece.usage() : usage;
                    }
                } else {
                    StringBuilder all = new StringBuilder();
                    for (String line; (line = lines.readLine()) != null; ) {
                        lastActivity.set(System.nanoTime());
                        all.append(line).append('\n');
                    }
                    ChatCompletions.Piece piece = ChatCompletions.parse(service, all.toString());
                    if (!piece.text().isEmpty()) {
                        out.emit(new Packet.Delta(run, piece.text()));
                        pieces++;
                    }
                    finish = piece.finishReason();
                    usage = piece.usage();
                }
            } catch (IOException e) {
                if (run.isCancelled()) {
                    out.emit(new Packet.End(run, usage == null ? Usage.NONE : usage, "cancelled"));
                    return;
                }
                if (timedOut.get()) {
                    throw new RemoteCallException(service + " went quiet for more than " + readTimeout.toSeconds()
                            + " s in the middle of its answer");
                }
                throw new RemoteCallException(service + " broke off its answer: " + describe(e));
            }
            if (run.isCancelled()) {
                out.emit(new Packet.End(run, usage == null ? Usage.NONE : usage, "cancelled"));
                return;
            }
            // Without usage from the service, each streamed piece counts as one token.
            Usage counted = usage != null ? usage : new Usage(0, pieces);
            run.trace().tokens(context.nodeId(), counted.promptTokens(), counted.completionTokens());
            out.emit(new Packet.End(run, counted, "length".equals(finish) ? Packet.End.LENGTH : Packet.End.STOP));
        }

        /** Cancelling the run aborts the HTTP call: the service sees its connection close. */
        void abort() {
            CompletableFuture<HttpResponse<InputStream>> r = response;
            if (r != null) {
                r.cancel(true);
            }
            InputStream b = body;
            if (b != null) {
                try {
                    b.close();
                } catch (IOException ignored) {
                    // closing is all we wanted
                }
            }
        }

        private void checkIdle() {
            if (body != null && System.nanoTime() - lastActivity.get() > readTimeout.toNanos()) {
                timedOut.set(true);
                abort();
            }
        }

        void finish() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    private static String readAll(InputStream in) throws RemoteCallException {
        try (in) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RemoteCallException("could not read the error body: " + describe(e));
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
