package dev.flowgraph.cli;

import dev.flowgraph.api.ApiElement;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.store.StoreUnavailableException;
import dev.flowgraph.store.StoreUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.time.Duration;

@Command(name = "serve", description = {"Runs a flow and serves its API element over HTTP until Ctrl-C.",
        "On SIGTERM it stops taking requests, lets the streams in flight finish (see --drain-seconds) and exits 0."})
final class ServeCommand implements Callable<Integer> {
    /** Returned when the server runs on: main must not exit. */
    static final int KEEP_RUNNING = Integer.MIN_VALUE;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The flow file (*.flow.json).")
    Path file;

    @Option(names = "--port", description = "Port for the API element (overrides the flow file).")
    Integer port;

    @Option(names = "--host", description = "Address to listen on (overrides the flow file).")
    String host;

    @Option(names = "--api-key", description = "API key (overrides the flow file; prefer ${env:NAME} in the file).")
    String apiKey;

    @Option(names = "--warmup-seconds", description = "How long the instance warms itself up before it reports ready "
            + "(overrides the flow file's warmupSeconds, 0.2 by default; 0 turns it off).")
    Double warmupSeconds;

    @Option(names = "--metrics", description = "Serve GET /metrics (Prometheus text format; to this machine only "
            + "unless the API element has a metricsKey).")
    boolean metrics;

    @Option(names = "--store", paramLabel = "URL", description = "Where conversations and run history are kept: "
            + "jdbc:sqlite:FILE (default " + StoreUrl.DEFAULT + ", or $FLOW_STORE), "
            + "jdbc:postgresql://HOST:PORT/DB?user=U&password=P to share them between instances, or none.")
    String store;

    @Option(names = "--drain-seconds", defaultValue = "30", description = "On SIGTERM: how long the streams in "
            + "flight may take to finish before they are ended (default ${DEFAULT-VALUE}).")
    int drainSeconds;

    /** For the launcher's class-data archive: start as a client would see it, warm-up included, then stop. */
    @Option(names = "--exit-when-ready", hidden = true)
    boolean exitWhenReady;

    @Override
    public Integer call() {
        FlowDocument flow = FlowFileArgument.load(spec, file);
        NodeInstance api = flow.nodesOfType(ApiElement.TYPE).stream().findFirst().orElse(null);
        if (api == null) {
            System.err.println("flow serve: " + file + " has no API element, so there is nothing to serve");
            return 1;
        }
        flow = override(flow, api.id(), "port", port);
        flow = override(flow, api.id(), "host", host);
        flow = override(flow, api.id(), "apiKey", apiKey);
        flow = override(flow, api.id(), "warmupSeconds", warmupSeconds);
        flow = override(flow, api.id(), "metrics", metrics ? Boolean.TRUE : null);
        Store opened;
        try {
            opened = StoreOption.open(store);
        } catch (IllegalArgumentException | StoreUnavailableException e) {
            System.err.println("flow serve: " + e.getMessage());
            return 2;
        }
        FlowRuntime runtime;
        try {
            runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                    RuntimeOptions.serving(FlowFileArgument.directoryOf(file)).withStore(opened));
        } catch (FlowStartException e) {
            opened.close();
            System.err.println("flow serve: " + e.getMessage());
            return 1;
        }
        ApiElementNode element = (ApiElementNode) runtime.entry();
        Shutdown shutdown = new Shutdown(runtime, element.server(), Duration.ofSeconds(drainSeconds));
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::now, "flow-shutdown"));
        shutdown.drainOnSigterm();
        String url = element.server().url();
        Object keySetting = flow.node(api.id()).orElseThrow().settings().get("apiKey");
        System.out.println("Serving flow '" + flow.name() + "' at " + url + "/prompt  (Ctrl-C stops)");
        System.out.println("Try it:");
        System.out.println("  curl -N " + url + "/prompt -H 'Content-Type: application/json' -H \"X-API-Key: "
                + keyHint(keySetting) + "\" \\");
        System.out.println("    -d '{\"message\":[{\"role\":\"user\",\"content\":\"Once upon a time,\"}]}'");
        System.out.println("Conversations and run history: " + opened.location() + (opened.isEnabled()
                ? "  (flow runs --store " + opened.location() + " lists the runs)" : ""));
        System.out.flush();
        return exitWhenReady ? 0 : KEEP_RUNNING;
    }

    /** How the ready-made curl line refers to the key: never the key itself. */
    static String keyHint(Object setting) {
        if (SettingSpec.isEnvReference(setting)) {
            String s = (String) setting;
            return "$" + s.substring("${env:".length(), s.length() - 1);
        }
        return "<your API key>";
    }

    private static FlowDocument override(FlowDocument flow, String nodeId, String setting, Object value) {
        return value == null ? flow : flow.withSetting(nodeId, setting, value);
    }
}
