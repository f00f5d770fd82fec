package dev.flowgraph.cli;

import dev.flowgraph.api.ApiElement;
import dev.flowgraph.api.mcp.FlowTool;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.store.StoreUnavailableException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;

@Command(name = "mcp", description = {"Serves a flow as one MCP tool over stdio, for desktop assistants and agent "
        + "frameworks that start a command (see FlowTool): the tool is named after the flow and takes prompt, system "
        + "and session_id. stdout carries the protocol; logs go to stderr."})
final class McpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The flow file (*.flow.json), with an API element.")
    Path file;

    @Option(names = "--store", paramLabel = "URL", description = "Where conversations are kept (as for flow serve; "
            + "session_id continues one when the flow remembers conversations).")
    String store;

    @Override
    public Integer call() throws Exception {
        FlowDocument flow = FlowFileArgument.load(spec, file);
        if (flow.nodesOfType(ApiElement.TYPE).isEmpty()) {
            System.err.println("flow mcp: " + file + " has no API element: there is nothing to call");
            return 1;
        }
        // No socket is opened, so the API key is never checked: a throwaway one spares setting the variable.
        for (NodeInstance api : flow.nodesOfType(ApiElement.TYPE)) {
            flow = flow.withSetting(api.id(), "apiKey", Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36));
        }
        Store opened;
        try {
            opened = StoreOption.open(store);
        } catch (IllegalArgumentException | StoreUnavailableException e) {
            System.err.println("flow mcp: " + e.getMessage());
            return 2;
        }
        FlowRuntime runtime;
        try {
            runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                    RuntimeOptions.inProcess(FlowFileArgument.directoryOf(file)).withStore(opened));
        } catch (FlowStartException e) {
            opened.close();
            System.err.println("flow mcp: " + e.getMessage());
            return 1;
        }
        // The client ends the session by closing our stdin: then the process ends (the hook stops the flow).
        java.io.InputStream in = new java.io.FilterInputStream(System.in) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    new Thread(() -> System.exit(0), "flow-mcp-exit").start();
                }
                return n;
            }
        };
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in,
                        System.out))
                .serverInfo("flowgraph", version())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(java.util.List.of(FlowTool.of(flow.name(), flow.description(), runtime.entry())))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.closeGracefully();
            runtime.close();
            opened.close();
        }, "flow-mcp-shutdown"));
        System.err.println("flow mcp: serving flow '" + flow.name() + "' as the MCP tool '" + FlowTool.name(flow.name())
                + "' over stdio");
        return ServeCommand.KEEP_RUNNING; // the transport reads stdin on its own threads until the client closes it
    }

    private static String version() {
        String v = McpCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
