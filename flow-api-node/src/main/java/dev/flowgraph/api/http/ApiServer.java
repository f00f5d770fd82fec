package dev.flowgraph.api.http;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.openai.ChatCompletionsRoute;
import dev.flowgraph.api.openai.ModelsRoute;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The API element's Undertow server. Each concern is one handler in the chain:
 * {@code /prompt}: method → API key → JSON content type → whole body read on the IO thread ({@link FullBody}) →
 * blocking worker → {@link PromptRoute};
 * {@code /v1/chat/completions}: the same chain with Bearer keys too → {@link ChatCompletionsRoute};
 * {@code /v1/models}: method → key → {@link ModelsRoute}; {@code /health}: method → {@link HealthRoute};
 * anything else: 404. In front of all, {@link OpenExchanges} counts what is still being answered, for draining.
 */
public final class ApiServer {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final Undertow undertow;
    private final ServerConfig config;
    private final Admission admission;
    private final OpenExchanges exchanges;
    private final ApiElementNode element;
    private final WarmUp warmUp;

    private ApiServer(Undertow undertow, ServerConfig config, Admission admission, OpenExchanges exchanges,
                      ApiElementNode element, WarmUp warmUp) {
        this.undertow = undertow;
        this.config = config;
        this.admission = admission;
        this.exchanges = exchanges;
        this.element = element;
        this.warmUp = warmUp;
    }

    public static ApiServer start(ServerConfig config, ApiElementNode element) {
        Admission admission = new Admission(config.concurrency());
        WarmUp warmUp = new WarmUp(!config.warmUp().isZero());
        ServerMetrics metrics = config.metrics() ? new ServerMetrics(admission) : null;
        FlowCalls calls = new FlowCalls(element, admission, config, warmUp, metrics);
        HttpHandler prompt = new MethodGuard(Methods.POST,
                new ApiKeyCheck(config.keys(), false,
                        limited(config, warmUp, new JsonOnly(
                                new FullBody(config.maxBodyBytes(), config.readTimeout(), new PromptRoute(calls))))));
        HttpHandler health = new MethodGuard(Methods.GET, new HealthRoute(element, admission, warmUp, config.flowName()));
        PathHandler routes = new PathHandler(exchange -> ApiErrors.send(exchange, 404, ApiErrors.NOT_FOUND,
                "no route " + exchange.getRequestPath()
                + "; the API serves POST /prompt, POST /v1/chat/completions, GET /v1/models and GET /health"
                + (config.metrics() ? " and GET /metrics" : "")))
                .addExactPath("/prompt", prompt)
                .addExactPath("/health", health)
                .addExactPath("/v1/chat/completions", new MethodGuard(Methods.POST,
                        new ApiKeyCheck(config.keys(), true,
                                limited(config, warmUp, new JsonOnly(
                                        new FullBody(config.maxBodyBytes(), config.readTimeout(),
                                                new ChatCompletionsRoute(calls)))))))
                .addExactPath("/v1/models", new MethodGuard(Methods.GET,
                        new ApiKeyCheck(config.keys(), true, new ModelsRoute(config.flowName()))));
        if (metrics != null) {
            routes.addExactPath("/metrics", new MethodGuard(Methods.GET, new MetricsRoute(metrics, config.metricsKey())));
        }
        OpenExchanges exchanges = new OpenExchanges(new ConnectionLimit(config.maxConnections(), routes),
                metrics == null ? exchange -> { } : exchange -> {
                    if (!warmUp.isOwn(exchange)) {
                        metrics.completed(exchange);
                    }
                });
        Undertow undertow = Undertow.builder()
                .addHttpListener(config.port(), config.host())
                .setIoThreads(2)
                // Each stream holds a worker while it runs; bodies are read on the IO threads (FullBody).
                .setWorkerThreads(16 + config.concurrency())
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) config.readTimeout().toMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) config.idleTimeout().toMillis())
                // Above twice the limit the server stops accepting until connections close: the file descriptors
                // stay bounded even for connections that never send a request (ConnectionLimit counts the others).
                .setSocketOption(org.xnio.Options.CONNECTION_HIGH_WATER, 2 * config.maxConnections())
                .setSocketOption(org.xnio.Options.CONNECTION_LOW_WATER, 2 * config.maxConnections())
                .setHandler(exchanges)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + rootMessage(e), e);
        }
        ApiServer server = new ApiServer(undertow, config, admission, exchanges, element, warmUp);
        log.info("API element serving POST {}/prompt", server.url());
        return server;
    }

    /** The routes that run the flow count against the key's rate limit, when there is one. */
    private static HttpHandler limited(ServerConfig config, WarmUp warmUp, HttpHandler route) {
        return config.rateLimit().isBlank() ? route : new RateLimit(config.rateLimit(), warmUp, route);
    }

    /**
     * Runs the warm-up ({@link WarmUp}) when the flow has started, if the API element's {@code warmupSeconds} asks
     * for one; returns when the server is ready.
     */
    public void warmUp() {
        if (warmUp.isWarming()) {
            String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
            warmUp.run(host, port(), config, admission);
        }
    }

    /** The port actually bound (differs from the setting when that is 0). */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** A URL a client on this machine can use. */
    public String url() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "localhost";
        }
        return "http://" + host + ":" + port();
    }

    /**
     * Stops taking requests (each new one gets 503 at once, so a load balancer moves it to another instance)
     * and lets the streams in flight finish, for up to {@code timeout}; streams still running then end with an
     * error event. Returns how many streams had to be cut.
     */
    public int drain(Duration timeout) throws InterruptedException {
        admission.close();
        int inFlight = admission.inFlight();
        log.info("draining: taking no more requests; {} in flight, waiting up to {} s", inFlight, timeout.toSeconds());
        int cut = 0;
        if (!admission.awaitIdle(timeout)) {
            cut = element.cancelRuns("the server is shutting down");
            log.warn("drain timeout: ended {} stream(s) still running with an error", cut);
            admission.awaitIdle(Duration.ofSeconds(5));
        }
        // A run ends before its last events and the stream's end have been written: wait for those too.
        exchanges.awaitNone(Duration.ofSeconds(5));
        return cut;
    }

    public void stop() {
        undertow.stop();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
