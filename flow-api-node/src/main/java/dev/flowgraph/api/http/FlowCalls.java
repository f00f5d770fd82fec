package dev.flowgraph.api.http;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.sse.SseFormat;
import dev.flowgraph.api.store.RunRecorder;
import dev.flowgraph.api.store.SessionTurns;
import dev.flowgraph.api.store.Turn;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The steps every route that runs the flow shares, whatever its dialect: read the body within the limit,
 * admit the request (or answer 503 at once), then stream the answer or collect it whole.
 */
public final class FlowCalls {
    private static final Logger log = LoggerFactory.getLogger(FlowCalls.class);
    private static final HttpString X_ACCEL_BUFFERING = new HttpString("X-Accel-Buffering");
    static final String RETRY_AFTER_SECONDS = "1";

    private final ApiElementNode element;
    private final Admission admission;
    private final ServerConfig config;
    private final WarmUp warmUp;
    /** Null when /metrics is off. */
    private final ServerMetrics metrics;
    private final SessionTurns turns;
    private final RunRecorder recorder;

    FlowCalls(ApiElementNode element, Admission admission, ServerConfig config, WarmUp warmUp, ServerMetrics metrics,
              SessionTurns turns, RunRecorder recorder) {
        this.element = element;
        this.admission = admission;
        this.config = config;
        this.warmUp = warmUp;
        this.metrics = metrics;
        this.turns = turns;
        this.recorder = recorder;
    }

    /** How long a conversation's ending waits for its turn to be stored before it goes out anyway. */
    private static final long STORE_WAIT_MILLIS = 5_000;

    public String flowName() {
        return config.flowName();
    }

    /** Why the flow's model cannot answer in {@code format}, or null when it can (see ApiElementNode#refuses). */
    public String refuses(dev.flowgraph.core.chat.ResponseFormat format) {
        return element.refuses(format);
    }

    /** Turns a request body into what the route runs, or refuses it. */
    public interface BodyParser<T> {
        T parse(byte[] body) throws BadRequest;
    }

    /** What a route does with an admitted request; the ticket is released afterwards in any case. */
    public interface AdmittedCall<T> {
        void run(T request, Admission.Ticket ticket) throws Exception;
    }

    /**
     * The whole life of a request on a blocking worker: read the body within the limit, parse it (refusals
     * answered with their status and field), admit it or answer 503, then hand it to {@code call}.
     */
    public <T> void handle(HttpServerExchange exchange, BodyParser<T> parser, AdmittedCall<T> call) throws Exception {
        byte[] body = readBody(exchange);
        if (body == null) {
            return;
        }
        T request;
        try {
            request = parser.parse(body);
        } catch (BadRequest e) {
            ApiErrors.send(exchange, e.status(), ApiErrors.INVALID_REQUEST, e.getMessage(), e.param(), e.code());
            return;
        }
        Admission.Ticket ticket = admit(exchange);
        if (ticket == null) {
            return;
        }
        try {
            call.run(request, ticket);
        } finally {
            ticket.release();
        }
    }

    /** The body {@link FullBody} read before the route ran (its limit and timeout already applied). */
    private static byte[] readBody(HttpServerExchange exchange) {
        byte[] body = exchange.getAttachment(FullBody.BODY);
        if (body == null) {
            throw new IllegalStateException("a route that runs the flow must come after FullBody in its chain");
        }
        return body;
    }

    /** A ticket for one run, or null after answering 503 (flow not running, or busy) with Retry-After. */
    private Admission.Ticket admit(HttpServerExchange exchange) {
        if (!element.isAlive()) {
            serviceUnavailable(exchange, ApiErrors.NOT_RUNNING, element.isStarting()
                    ? "the flow is not running yet: it is starting (loading its models); retry after "
                    + RETRY_AFTER_SECONDS + " s" : "the flow is not running");
            return null;
        }
        if (warmUp.isWarming() && !warmUp.isOwn(exchange)) {
            serviceUnavailable(exchange, ApiErrors.NOT_RUNNING, "the flow is warming up after its start; retry after "
                    + RETRY_AFTER_SECONDS + " s");
            return null;
        }
        String loading = config.refuseWhileModelLoads() ? element.loadingModelNode() : null;
        if (loading != null) {
            serviceUnavailable(exchange, ApiErrors.MODEL_LOADING, "node '" + loading + "' is loading another model; "
                    + "retry after " + RETRY_AFTER_SECONDS + " s");
            return null;
        }
        String unloaded = element.unloadedModelNode();
        if (unloaded != null) {
            serviceUnavailable(exchange, ApiErrors.MODEL_UNLOADED, "the model of node '" + unloaded + "' is unloaded; "
                    + "POST /models/load loads one");
            return null;
        }
        if (admission.isClosed()) {
            serviceUnavailable(exchange, ApiErrors.SHUTTING_DOWN, "this instance is shutting down; retry after "
                    + RETRY_AFTER_SECONDS + " s (another instance may take it)");
            return null;
        }
        if (!admission.tryEnter()) {
            serviceUnavailable(exchange, ApiErrors.BUSY, (admission.capacity() == 1 ? "busy with another request"
                    : "busy with " + admission.capacity() + " requests") + "; retry after " + RETRY_AFTER_SECONDS + " s");
            return null;
        }
        return admission.ticket();
    }

    /** Streams the run's answer as server-sent events in {@code format}; returns when the stream has ended. */
    public void stream(HttpServerExchange exchange, ChatRequest request, SseFormat format, Admission.Ticket ticket)
            throws InterruptedException {
        if (warmUp.isOwn(exchange)) {
            streamTurn(exchange, request, format, ticket, null); // the warm-up's own: no session, no record
            return;
        }
        Turn turn = beginTurn(exchange, request, ticket);
        if (turn == null) {
            return;
        }
        Run run = null;
        String why = null;
        try {
            run = streamTurn(exchange, request, format, ticket, turn);
        } catch (RuntimeException | InterruptedException e) {
            why = e.toString();
            throw e;
        } finally {
            endTurn(exchange, request, turn, run, why);
        }
    }

    /**
     * The request's turn, or null after answering 409 because its session is busy: the slot is given back first, so
     * the client's next request, sent as soon as it reads the 409, finds it free.
     */
    private Turn beginTurn(HttpServerExchange exchange, ChatRequest request, Admission.Ticket ticket)
            throws InterruptedException {
        Turn turn = turns.begin(request);
        if (turn == null) {
            ticket.release();
            SessionTurns.refuse(exchange, request.session());
        }
        return turn;
    }

    private void endTurn(HttpServerExchange exchange, ChatRequest request, Turn turn, Run run, String why) {
        turn.release();
        recorder.finished(turn, route(exchange), exchange.getAttachment(ApiKeyCheck.KEY_NAME), request, run,
                why != null ? why : "the flow did not take the run");
    }

    private void recordStart(HttpServerExchange exchange, ChatRequest request, Turn turn) {
        recorder.started(turn, route(exchange), exchange.getAttachment(ApiKeyCheck.KEY_NAME), request);
    }

    private static String route(HttpServerExchange exchange) {
        return exchange.getRequestMethod() + " " + exchange.getRequestPath();
    }

    /**
     * Waits (a while) for what the run's finish hooks store, such as a conversation's new turn, then lets go of the
     * session: its next request, sent as soon as this answer ends, sees this turn and finds the session free.
     */
    private static void settle(Turn turn, Run run) {
        java.util.concurrent.CompletableFuture<Void> work = run.finishWork();
        if (work != null) {
            try {
                work.get(STORE_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("run {}: its conversation turn was not stored in time: {}", run, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        turn.release();
    }

    /** Streams the answer; {@code turn} is null for the warm-up's own requests. Returns the run, or null if none began. */
    private Run streamTurn(HttpServerExchange exchange, ChatRequest request, SseFormat format, Admission.Ticket ticket,
                           Turn turn) throws InterruptedException {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/event-stream")
                .put(Headers.CACHE_CONTROL, "no-cache")
                .put(X_ACCEL_BUFFERING, "no");
        boolean internal = turn == null;
        SseAnswer answer = new SseAnswer(exchange.getOutputStream(), ticket, format,
                !internal && turn.holdsSession() ? run -> settle(turn, run) : null);
        Run run;
        try {
            try {
                run = submitRun(exchange, request, answer);
            } catch (IllegalStateException e) {
                answer.failBeforeRun(e.getMessage());
                return null;
            }
            if (!internal) {
                recordStart(exchange, request, turn);
            }
            // A client that hangs up frees its slot at once, even while the model still reads the prompt.
            if (!run.isInternal()) {
                answer.endsWatch(HangUpWatch.watch(exchange, () -> run.cancel("client disconnected")));
            }
            // Headers and opening events go out while the model reads the prompt, off the first token's path.
            if (!answer.begin()) {
                run.cancel("client disconnected");
                return run;
            }
            answer.await(config.keepAliveInterval().toNanos(), () -> run.cancel("client disconnected"));
        } finally {
            exchange.endExchange();
        }
        if (metrics != null && !run.isInternal()) {
            metrics.answered(answer.firstDeltaNanos() == 0 ? 0 : answer.firstDeltaNanos() - run.startNanos(),
                    answer.completionTokens());
        }
        logCall(run, "{} {} {} from {} (key '{}'): {} events, {} in {} ms", exchange.getRequestMethod(),
                exchange.getRequestPath(), run, exchange.getSourceAddress(), exchange.getAttachment(ApiKeyCheck.KEY_NAME), answer.deltas(), answer.outcome(),
                (System.nanoTime() - run.startNanos()) / 1_000_000);
        return run;
    }

    /** A client's call is logged at INFO; a warm-up's own at DEBUG, so the log shows what clients did. */
    private static void logCall(Run run, String format, Object... values) {
        if (run.isInternal()) {
            log.debug(format + " (warm-up)", values);
        } else {
            log.info(format, values);
        }
    }

    /** The whole answer of a run: its text and how it ended (an end or a failure). */
    public record Collected(Run run, String text, Packet ending) {
    }

    /** Runs the flow and waits for the whole answer; null after answering 503 if the flow stopped meanwhile. */
    public Collected collect(HttpServerExchange exchange, ChatRequest request, Admission.Ticket ticket)
            throws InterruptedException {
        if (warmUp.isOwn(exchange)) {
            return collectTurn(exchange, request, ticket, null);
        }
        Turn turn = beginTurn(exchange, request, ticket);
        if (turn == null) {
            return null;
        }
        Collected collected = null;
        try {
            collected = collectTurn(exchange, request, ticket, turn);
            if (collected != null && turn.holdsSession()) {
                settle(turn, collected.run());
            }
            return collected;
        } finally {
            endTurn(exchange, request, turn, collected == null ? null : collected.run(), null);
        }
    }

    private Collected collectTurn(HttpServerExchange exchange, ChatRequest request, Admission.Ticket ticket, Turn turn)
            throws InterruptedException {
        WholeAnswer answer = new WholeAnswer(ticket::release);
        Run run = submit(exchange, request, answer);
        if (run == null) {
            return null;
        }
        if (turn != null) {
            recordStart(exchange, request, turn);
        }
        HangUpWatch watch = run.isInternal() ? null : HangUpWatch.watch(exchange, () -> run.cancel("client disconnected"));
        Packet end = answer.await();
        if (watch != null) {
            watch.end(); // before the answer is written: the client may send its next request right after
        }
        return collected(exchange, run, answer, end);
    }

    private Collected collected(HttpServerExchange exchange, Run run, WholeAnswer answer, Packet end) {
        if (metrics != null && !run.isInternal() && end instanceof Packet.End e) {
            metrics.answered(0, e.usage().completionTokens());
        }
        logCall(run, "{} {} {} from {} (key '{}'): {}", exchange.getRequestMethod(), exchange.getRequestPath(), run,
                exchange.getSourceAddress(), exchange.getAttachment(ApiKeyCheck.KEY_NAME), end instanceof Packet.End e
                        ? e.usage().completionTokens() + " tokens, " + e.finishReason() : "failed");
        return new Collected(run, answer.text(), end);
    }

    /**
     * The whole answers of {@code requests} (none of them in a session), in their order. They run as many at a time
     * as there are slots: the admitted request's, and any other free when the batch begins, each kept until the
     * batch is done so that other clients cannot take it between two of its runs. A hang-up cancels them all.
     * Returns null after answering 503 (the flow stopped meanwhile).
     */
    public List<Collected> collectAll(HttpServerExchange exchange, List<ChatRequest> requests, Admission.Ticket ticket)
            throws Exception {
        List<Admission.Ticket> slots = new ArrayList<>(List.of(ticket));
        while (slots.size() < requests.size() && admission.tryEnter()) {
            slots.add(admission.ticket());
        }
        BatchWork work = new BatchWork(exchange, requests);
        HangUpWatch watch = HangUpWatch.watch(exchange, work::cancelAll);
        List<CompletableFuture<Void>> others = new ArrayList<>();
        try {
            for (Admission.Ticket other : slots.subList(1, slots.size())) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                exchange.getConnection().getWorker().execute(() -> {
                    try {
                        work.run(other);
                        done.complete(null);
                    } catch (Exception | Error e) {
                        done.completeExceptionally(e);
                    }
                });
                others.add(done);
            }
            work.run(ticket); // this thread's own slot
            for (CompletableFuture<Void> other : others) {
                try {
                    other.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            watch.end();
        }
        if (work.stopped.get() != null) {
            serviceUnavailable(exchange, ApiErrors.NOT_RUNNING, work.stopped.get());
            return null;
        }
        return List.of(work.answers);
    }

    /** A batch's requests, taken one after another by each of its slots, until none is left or the flow stopped. */
    private final class BatchWork {
        private final HttpServerExchange exchange;
        private final List<ChatRequest> requests;
        private final Collected[] answers;
        private final AtomicInteger next = new AtomicInteger();
        private final Set<Run> running = ConcurrentHashMap.newKeySet();
        private final AtomicReference<String> stopped = new AtomicReference<>();

        BatchWork(HttpServerExchange exchange, List<ChatRequest> requests) {
            this.exchange = exchange;
            this.requests = requests;
            this.answers = new Collected[requests.size()];
        }

        void run(Admission.Ticket slot) throws InterruptedException {
            try {
                for (int i = next.getAndIncrement(); i < answers.length && stopped.get() == null;
                     i = next.getAndIncrement()) {
                    answers[i] = collectInBatch(exchange, requests.get(i), running, stopped);
                }
            } finally {
                slot.release();
            }
        }

        void cancelAll() {
            running.forEach(r -> r.cancel("client disconnected"));
        }
    }

    /** One request of a batch, run to its end; null (and {@code stopped} set) when the flow took no run. */
    private Collected collectInBatch(HttpServerExchange exchange, ChatRequest request, Set<Run> running,
                                     AtomicReference<String> stopped) throws InterruptedException {
        Turn turn = turns.begin(request); // no session: never refused
        WholeAnswer answer = new WholeAnswer(() -> { });
        Run run = null;
        try {
            try {
                run = submitRun(exchange, request, answer);
            } catch (IllegalStateException e) {
                stopped.compareAndSet(null, e.getMessage());
                return null;
            }
            running.add(run);
            recordStart(exchange, request, turn);
            Packet end = answer.await();
            running.remove(run);
            return collected(exchange, run, answer, end);
        } finally {
            endTurn(exchange, request, turn, run, null);
        }
    }

    /** Gathers a run's answer text until its ending; {@code onEnd} runs as it ends (a slot given back). */
    private static final class WholeAnswer implements java.util.function.Consumer<Packet> {
        private final StringBuilder text = new StringBuilder();
        private final CompletableFuture<Packet> ending = new CompletableFuture<>();
        private final Runnable onEnd;

        WholeAnswer(Runnable onEnd) {
            this.onEnd = onEnd;
        }

        @Override
        public void accept(Packet packet) {
            if (packet instanceof Packet.Delta delta) {
                text.append((String) delta.value());
            } else {
                onEnd.run();
                ending.complete(packet);
            }
        }

        Packet await() throws InterruptedException {
            try {
                return ending.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        String text() {
            return text.toString();
        }
    }

    /** Submits a client's run, or an internal one for the warm-up's own requests (bounded by the warm-up's time). */
    private Run submitRun(HttpServerExchange exchange, ChatRequest request, java.util.function.Consumer<Packet> listener) {
        return warmUp.isOwn(exchange) ? element.submitInternal(warmUp.shortened(request), listener, warmUp.remaining())
                : element.submit(request, listener);
    }

    private Run submit(HttpServerExchange exchange, ChatRequest request, java.util.function.Consumer<Packet> listener) {
        try {
            return submitRun(exchange, request, listener);
        } catch (IllegalStateException e) {
            serviceUnavailable(exchange, ApiErrors.NOT_RUNNING, e.getMessage());
            return null;
        }
    }

    private static void serviceUnavailable(HttpServerExchange exchange, String type, String message) {
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
        ApiErrors.send(exchange, 503, type, message);
    }
}
