package dev.flowgraph.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpServerExchange;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The API element's meters, in Micrometer's Prometheus registry: requests by route and status, streams in flight,
 * time to first token, generated tokens, refusals by reason, and the JVM's own. Recorded once per request when it
 * completes (never per token); the server's own warm-up is not counted.
 */
final class ServerMetrics {
    /** Routes that are labels; any other path is counted as {@code other}, so a scan cannot grow the label set. */
    private static final Set<String> ROUTES = Set.of("/prompt", "/v1/chat/completions", "/v1/models", "/health",
            "/metrics");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer timeToFirstToken;
    private final Counter tokens;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    ServerMetrics(Admission admission, dev.flowgraph.core.store.Store store) {
        timeToFirstToken = Timer.builder("flowgraph.time.to.first.token")
                .description("From the run's start to the first piece of the answer written")
                .serviceLevelObjectives(Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
                        .map(Duration::ofMillis).toArray(Duration[]::new))
                .register(registry);
        tokens = Counter.builder("flowgraph.generated.tokens").description("Completion tokens streamed to clients")
                .register(registry);
        Gauge.builder("flowgraph.streams.in.flight", admission, Admission::inFlight)
                .description("Requests running the flow now").register(registry);
        if (store.isEnabled()) {
            io.micrometer.core.instrument.FunctionCounter.builder("flowgraph.store.failures", store,
                            s -> s.health().failures())
                    .description("Reads and writes of the store that failed (runs are served meanwhile)").register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("flowgraph.store.dropped", store,
                            s -> s.health().dropped())
                    .description("Run records given up while the store stayed away").register(registry);
            Gauge.builder("flowgraph.store.available", store, s -> s.health().available() ? 1 : 0)
                    .description("1 while the store answers").register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Counts a completed request by route and status, and a refusal by its error type. */
    void completed(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        String route = ROUTES.contains(path) ? path : "other";
        String status = Integer.toString(exchange.getStatusCode());
        requests.computeIfAbsent(route + " " + status, k -> Counter.builder("flowgraph.requests")
                .description("Requests answered").tag("route", route).tag("status", status).register(registry))
                .increment();
        String refusal = exchange.getAttachment(ApiErrors.ERROR_TYPE);
        if (refusal != null && exchange.getStatusCode() != 500) {
            rejected.computeIfAbsent(refusal, reason -> Counter.builder("flowgraph.rejected")
                    .description("Requests refused, by reason (the error type)").tag("reason", reason)
                    .register(registry)).increment();
        }
    }

    /** A streamed or collected answer: its time to first token and its tokens. */
    void answered(long firstPieceAfterNanos, int completionTokens) {
        if (firstPieceAfterNanos > 0) {
            timeToFirstToken.record(firstPieceAfterNanos, TimeUnit.NANOSECONDS);
        }
        tokens.increment(completionTokens);
    }

    /** The Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }
}
