package dev.flowgraph.api.http;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.jobs.JobRoute;
import dev.flowgraph.api.jobs.JobRunner;
import dev.flowgraph.api.jobs.JobsSubmitRoute;
import dev.flowgraph.api.locallab.BatchRoute;
import dev.flowgraph.api.mcp.FlowTool;
import dev.flowgraph.api.mcp.McpRoute;
import dev.flowgraph.api.locallab.GenerationRoute;
import dev.flowgraph.api.locallab.ModelLoadRoute;
import dev.flowgraph.api.locallab.ModelUnloadRoute;
import dev.flowgraph.api.locallab.ModelsAvailableRoute;
import dev.flowgraph.api.locallab.ModelsCurrentRoute;
import dev.flowgraph.api.locallab.SystemInfoRoute;
import dev.flowgraph.api.openai.ChatCompletionsRoute;
import dev.flowgraph.api.openai.ModelsRoute;
import dev.flowgraph.api.llamaedge.EmbeddingsRoute;
import dev.flowgraph.api.llamaedge.RetrieveRoute;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Methods;
import io.undertow.server.handlers.BlockingHandler;
import dev.flowgraph.api.store.RunRecorder;
import dev.flowgraph.api.store.RunsRoute;
import dev.flowgraph.api.store.SessionTurns;
import dev.flowgraph.api.store.SessionsRoute;
import dev.flowgraph.core.store.Store;
import java.util.ArrayList;
import java.util.List;
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
    /** The jobs routes of an instance without a store: jobs need a database to wait in. */
    private static final HttpHandler NO_STORE = exchange -> ApiErrors.send(exchange, 503, ApiErrors.NOT_RUNNING,
            "jobs are kept in a store, and this instance runs without one (serve it with --store)");

    private final Undertow undertow;
    private final ServerConfig config;
    private final Admission admission;
    private final OpenExchanges exchanges;
    private final ApiElementNode element;
    private final WarmUp warmUp;
    /** Null without a store. */
    private final JobRunner jobs;
    private final McpRoute mcp;

    private ApiServer(Undertow undertow, ServerConfig config, Admission admission, OpenExchanges exchanges,
                      ApiElementNode element, WarmUp warmUp, JobRunner jobs, McpRoute mcp) {
        this.jobs = jobs;
        this.mcp = mcp;
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
        Store store = element.store();
        ServerMetrics metrics = config.metrics() ? new ServerMetrics(admission, store) : null;
        RunRecorder recorder = new RunRecorder(store.runs(), config.flowName(), config.history());
        SessionTurns turns = new SessionTurns(store, config.flowName(), config.waitForSession(), config.readTimeout(),
                config.runTimeout());
        FlowCalls calls = new FlowCalls(element, admission, config, warmUp, metrics, turns, recorder);
        JobRunner jobs = !store.isEnabled() ? null : new JobRunner(element, admission, store.jobs(), config.flowName(),
                () -> !warmUp.isWarming() && !admission.isClosed());
        McpRoute mcpRoute = new McpRoute(transport -> io.modelcontextprotocol.server.McpServer.sync(transport)
                .serverInfo("flowgraph", String.valueOf(ApiServer.class.getPackage().getImplementationVersion()))
                .capabilities(io.modelcontextprotocol.spec.McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(List.of(FlowTool.of(config.flowName(), element.flowDescription(), element, () -> {
                    // A tool call takes a slot like any request; the warm-up and a draining instance take none.
                    Admission.Ticket ticket = warmUp.isWarming() ? null : admission.tryTicket();
                    return ticket == null ? null : ticket::release;
                }))).build());
        List<Route> table = routes(config, element, admission, warmUp, metrics, calls, store, jobs, mcpRoute);
        PathHandler routes = new PathHandler(exchange -> ApiErrors.send(exchange, 404, ApiErrors.NOT_FOUND,
                "no route " + exchange.getRequestPath() + "; the API serves " + Route.summary(table)));
        for (Route route : table) {
            HttpHandler guarded = ApiErrors.shaped(route.errorShape(), new MethodGuard(route.methods(), route.handler()));
            if (route.isPrefix()) {
                routes.addPrefixPath(route.matchPath(), guarded);
            } else {
                routes.addExactPath(route.matchPath(), guarded);
            }
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
        ApiServer server = new ApiServer(undertow, config, admission, exchanges, element, warmUp, jobs, mcpRoute);
        if (store.isEnabled()) {
            recorder.instance(instanceName(config.host(), server.port()));
            try {
                int interrupted = store.runs().interruptLeftovers(recorder.instance());
                if (interrupted > 0) {
                    log.warn("{} run(s) of an earlier process at {} were cut off when it stopped: marked interrupted",
                            interrupted, recorder.instance());
                }
            } catch (RuntimeException e) {
                log.warn("could not mark the runs an earlier process left: {}", e.getMessage());
            }
            store.runs().retain(config.flowName(), config.history().maxRuns(), config.history().maxAge(),
                    config.sessionTtl());
            jobs.start(recorder.instance(), config.requeueInterruptedJobs());
        }
        log.info("API element serving POST {}/prompt", server.url());
        return server;
    }

    /**
     * Every route of the API element, declared once: the 404 text lists them, the README's table shows them. The
     * routes that run the flow share one chain: key, rate limit, JSON content type, the body read on the IO thread.
     */
    static List<Route> routes(ServerConfig config, ApiElementNode element, Admission admission, WarmUp warmUp,
                              ServerMetrics metrics, FlowCalls calls, Store store, JobRunner jobs, McpRoute mcp) {
        HttpHandler runs = new ApiKeyCheck(config.keys(), true, new BlockingHandler(new RunsRoute(store, config.flowName())));
        List<Route> table = new ArrayList<>(List.of(
                new Route("/prompt", List.of(Methods.POST), "prompt",
                        new ApiKeyCheck(config.keys(), false, runsFlow(config, warmUp, new PromptRoute(calls)))),
                new Route("/v1/chat/completions", List.of(Methods.POST), "openai",
                        new ApiKeyCheck(config.keys(), true, runsFlow(config, warmUp, new ChatCompletionsRoute(calls)))),
                new Route("/generate", List.of(Methods.POST), "locallab", new ApiKeyCheck(config.keys(), true,
                        runsFlow(config, warmUp, new GenerationRoute(calls, GenerationRoute.Kind.GENERATE),
                        config.localLabRateLimit()))),
                new Route("/chat", List.of(Methods.POST), "locallab", new ApiKeyCheck(config.keys(), true,
                        runsFlow(config, warmUp, new GenerationRoute(calls, GenerationRoute.Kind.CHAT),
                        config.localLabRateLimit()))),
                new Route("/generate/batch", List.of(Methods.POST), "locallab", new ApiKeyCheck(config.keys(), true,
                        runsFlow(config, warmUp, new BatchRoute(calls), config.localLabRateLimit()))),
                new Route("/models/available", List.of(Methods.GET), "locallab", new ApiKeyCheck(config.keys(), true,
                        new BlockingHandler(new ModelsAvailableRoute(element)))),
                new Route("/models/current", List.of(Methods.GET), "locallab", new ApiKeyCheck(config.keys(), true,
                        new BlockingHandler(new ModelsCurrentRoute(element)))),
                new Route("/models/load", List.of(Methods.POST), "locallab", new ApiKeyCheck(config.keys(), true,
                        new FullBody(config.maxBodyBytes(), config.readTimeout(), new ModelLoadRoute(element)))),
                new Route("/models/unload", List.of(Methods.POST), "locallab", new ApiKeyCheck(config.keys(), true,
                        new FullBody(config.maxBodyBytes(), config.readTimeout(), new ModelUnloadRoute(element)))),
                new Route("/system/info", List.of(Methods.GET), "locallab", new ApiKeyCheck(config.keys(), true,
                        new SystemInfoRoute(element))),
                new Route("/remotejobs/v2/jobs", List.of(Methods.POST), "gridrepublic", new ApiKeyCheck(config.keys(),
                        true, jobs == null ? NO_STORE : new FullBody(config.maxBodyBytes(), config.readTimeout(),
                        new JobsSubmitRoute(element, store.jobs(), config.flowName(), jobs)))),
                new Route(JobRoute.PATH + "{ids}", List.of(Methods.GET, Methods.DELETE), "gridrepublic",
                        new ApiKeyCheck(config.keys(), true, jobs == null ? NO_STORE
                                : new BlockingHandler(new JobRoute(store.jobs(), config.flowName())))),
                new Route("/mcp", List.of(Methods.POST, Methods.DELETE), "mcp", new ApiKeyCheck(config.keys(), true,
                        new FullBody(config.maxBodyBytes(), config.readTimeout(), mcp))),
                new Route("/v1/models", List.of(Methods.GET, Methods.POST), "openai",
                        new ApiKeyCheck(config.keys(), true, new ModelsRoute(config.flowName(), element))),
                new Route("/v1/embeddings", List.of(Methods.POST), "openai", new ApiKeyCheck(config.keys(), true,
                        llamaEdge(config, new EmbeddingsRoute(element, config.maxEmbeddingInputs())))),
                new Route("/v1/retrieve", List.of(Methods.POST), "openai", new ApiKeyCheck(config.keys(), true,
                        llamaEdge(config, new RetrieveRoute(element)))),
                new Route("/health", List.of(Methods.GET), "ours",
                        new HealthRoute(element, admission, warmUp, config.flowName())),
                new Route(SessionsRoute.PATH + "{id}", List.of(Methods.GET, Methods.DELETE), "ours",
                        new ApiKeyCheck(config.keys(), true, new BlockingHandler(new SessionsRoute(store, config.flowName())))),
                new Route(RunsRoute.PATH, List.of(Methods.GET), "ours", runs),
                new Route(RunsRoute.PATH + "/{id}", List.of(Methods.GET), "ours", runs)));
        if (metrics != null) {
            table.add(new Route("/metrics", List.of(Methods.GET), "ours", new MetricsRoute(metrics, config.metricsKey())));
        }
        return table;
    }

    /** {@code host:port} as run history names this instance; a wildcard address is named by the machine's name. */
    private static String instanceName(String host, int port) {
        String name = host;
        if (host.equals("0.0.0.0") || host.equals("::")) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                name = "localhost";
            }
        }
        return name + ":" + port;
    }

    /** A route that runs the flow: rate limit (when set) → JSON only → whole body read without a thread → route. */
    private static HttpHandler runsFlow(ServerConfig config, WarmUp warmUp, HttpHandler route) {
        return runsFlow(config, warmUp, route, config.rateLimit());
    }

    /** Like {@link #runsFlow(ServerConfig, WarmUp, HttpHandler)}, limited by {@code limit} when rate limits are on. */
    private static HttpHandler runsFlow(ServerConfig config, WarmUp warmUp, HttpHandler route, String limit) {
        HttpHandler chain = new JsonOnly(new FullBody(config.maxBodyBytes(), config.readTimeout(), route));
        return config.rateLimit().isBlank() ? chain : new RateLimit(limit, warmUp, chain);
    }

    /** LlamaEdge's embeddings and retrieval: JSON only, the body read without a thread, then a worker; no flow slot. */
    private static HttpHandler llamaEdge(ServerConfig config, HttpHandler route) {
        return new JsonOnly(new FullBody(config.maxBodyBytes(), config.readTimeout(), route));
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
        admission.close(); // the job runner claims no more either
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
        if (mcp.isBuilt()) {
            mcp.closeGracefully().block();
        }
        if (jobs != null) {
            jobs.close();
        }
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
