package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.run.Run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side every remote node shares: one client with the node's timeouts, and {@link Call}s that turn every
 * way a call can go wrong (refused, silent, HTTP error, cut off) into a {@link RemoteCallException} naming the
 * service, and that a cancelled run aborts at once. Authorization headers are set by the nodes and never logged.
 */
final class RemoteHttp implements AutoCloseable {
    private final String service;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "remote-timeouts");
        t.setDaemon(true);
        return t;
    });
    private volatile HttpClient client;

    /**
     * @param service     how messages name the service, e.g. "LocalLab at http://host:8000"
     * @param readTimeout how long to wait for an answer to start, and then between two pieces of it
     */
    RemoteHttp(String service, Duration connectTimeout, Duration readTimeout) {
        this.service = service;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    String service() {
        return service;
    }

    void start() {
        client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A request to a service: the answer type it should send, and the key as a Bearer token when there is one. */
    static HttpRequest.Builder request(java.net.URI uri, String accept, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", accept);
        return apiKey == null || apiKey.isEmpty() ? request : request.header("Authorization", "Bearer " + apiKey);
    }

    /** A JSON POST to a service that answers JSON. */
    static HttpRequest.Builder postJson(java.net.URI uri, String apiKey, String body) {
        return request(uri, "application/json", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Starts the HTTP work of one run; close it when the run's answer is done. */
    Call call(Run run) {
        return new Call(run);
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /** Reads lines until the sink says stop or the body ends. */
    @FunctionalInterface
    interface LineSink {
        /** @return false to stop reading */
        boolean line(String line) throws RemoteCallException;
    }

    /**
     * The HTTP requests of one run (one for a chat call, many when polling a job). Cancelling the run closes the
     * request in flight, so the service sees its connection close, and wakes a {@link #pause}.
     */
    final class Call implements AutoCloseable {
        private final Run run;
        private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private final ScheduledFuture<?> timer;
        /** The thread waiting in {@link HttpClient#send} for this call, while it waits; guarded by {@code this}. */
        private Thread sender;
        private volatile InputStream body;

        private Call(Run run) {
            this.run = run;
            long period = Math.max(200, Math.min(1000, readTimeout.toMillis() / 4));
            this.timer = watchdog.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
            run.onCancel(this::abort);
        }

        boolean isCancelled() {
            return run.isCancelled();
        }

        /** Sends a request and waits for the status line and headers; any status is returned. */
        HttpResponse<InputStream> send(HttpRequest.Builder request) throws RemoteCallException {
            return send(request, HttpResponse.BodyHandlers.ofInputStream());
        }

        /**
         * Sends a request whose answer is read whole, and fails unless it is 2xx: for short answers, read without the
         * streaming body's extra hand-offs.
         */
        String sendForText(HttpRequest.Builder request) throws RemoteCallException {
            HttpResponse<String> answer = send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() >= 400) {
                throw new RemoteCallException(service + " answered HTTP " + answer.statusCode() + ": "
                        + ServiceErrors.message(answer.body()));
            }
            return answer.body();
        }

        private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
                throws RemoteCallException {
            checkCancelled();
            if (run.isInternal()) {
                // The API element's warm-up: a remote service would spend the user's tokens and rate limit on it.
                throw new RemoteCallException(service + ": not called for the flow's own warm-up");
            }
            body = null;
            timedOut.set(false);
            lastActivity.set(System.nanoTime());
            // The blocking send, not sendAsync(...).get(): sendAsync hands the exchange to the client's executor and its
            // completion to another pool, two thread hand-offs per request that doubled an agent step's wait on a
            // loopback service (AgentBenchmark). Cancelling interrupts this thread, which makes send cancel the exchange.
            HttpResponse<T> answer;
            synchronized (this) {
                if (run.isCancelled()) {
                    throw cancelledError();
                }
                sender = Thread.currentThread();
            }
            try {
                answer = client.send(request.timeout(readTimeout).build(), handler);
            } catch (InterruptedException e) {
                if (!run.isCancelled()) {
                    Thread.currentThread().interrupt();
                    throw new RemoteCallException(service + ": interrupted");
                }
                throw cancelledError();
            } catch (IOException e) {
                throw connectionError(e);
            } finally {
                synchronized (this) {
                    sender = null;
                }
                if (run.isCancelled()) {
                    Thread.interrupted(); // the cancel's interrupt, if it came just as the answer did: not the pool's
                }
            }
            body = answer.body() instanceof InputStream in ? in : null;
            if (run.isCancelled()) {
                abort();
                throw cancelledError();
            }
            return answer;
        }

        /** Sends a request and fails unless the service answers 2xx; the error names the status and its message. */
        HttpResponse<InputStream> sendExpectingSuccess(HttpRequest.Builder request) throws RemoteCallException {
            HttpResponse<InputStream> answer = send(request);
            if (answer.statusCode() >= 400) {
                throw statusError(answer);
            }
            return answer;
        }

        /** The error for an HTTP status of 400 or more, with the service's own message from the body. */
        RemoteCallException statusError(HttpResponse<InputStream> answer) throws RemoteCallException {
            return new RemoteCallException(service + " answered HTTP " + answer.statusCode() + ": "
                    + ServiceErrors.message(readAll(answer.body())));
        }

        /** Reads and drops an answer that is not wanted (a 429 before its retry), so the connection can be reused. */
        void discard(HttpResponse<InputStream> answer) throws RemoteCallException {
            readAll(answer.body());
        }

        /** Feeds the body to {@code sink} line by line; a service that goes quiet for the read timeout fails. */
        void lines(HttpResponse<InputStream> answer, LineSink sink) throws RemoteCallException {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    lastActivity.set(System.nanoTime());
                    if (!sink.line(line)) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw readError(e);
            }
            checkCancelled();
        }

        /** The whole body as text. */
        String text(HttpResponse<InputStream> answer) throws RemoteCallException {
            StringBuilder all = new StringBuilder();
            lines(answer, line -> {
                all.append(line).append('\n');
                return true;
            });
            return all.toString();
        }

        /** Waits, unless the run is cancelled first. */
        void pause(Duration time) throws RemoteCallException {
            body = null; // the last answer is read; the idle watchdog has nothing to watch while we wait
            try {
                if (cancelled.await(time.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw cancelledError();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteCallException(service + ": interrupted");
            }
            checkCancelled();
        }

        private void checkCancelled() throws RemoteCallException {
            if (run.isCancelled()) {
                throw cancelledError();
            }
        }

        private RemoteCallException cancelledError() {
            return new RemoteCallException(service + ": call cancelled (" + run.cancelReason() + ")");
        }

        private RemoteCallException connectionError(Throwable cause) {
            if (run.isCancelled()) {
                return cancelledError();
            }
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
                return new RemoteCallException(service + " refused or did not take the connection ("
                        + describe(cause) + ")");
            }
            if (cause instanceof HttpTimeoutException) {
                return new RemoteCallException(service + " did not answer within " + readTimeout.toSeconds() + " s");
            }
            return new RemoteCallException(service + ": " + describe(cause));
        }

        private RemoteCallException readError(IOException e) {
            if (run.isCancelled()) {
                return cancelledError();
            }
            if (timedOut.get()) {
                return new RemoteCallException(service + " went quiet for more than " + readTimeout.toSeconds()
                        + " s in the middle of its answer");
            }
            return new RemoteCallException(service + " broke off its answer: " + describe(e));
        }

        private String readAll(InputStream in) throws RemoteCallException {
            try (in) {
                return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw readError(e);
            }
        }

        /** Cancelling the run aborts the HTTP call: the service sees its connection close. */
        private void abort() {
            cancelled.countDown();
            closeExchange();
        }

        private void closeExchange() {
            synchronized (this) {
                if (sender != null) {
                    sender.interrupt();
                }
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
                closeExchange();
            }
        }

        @Override
        public void close() {
            timer.cancel(false);
        }
    }

    static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
