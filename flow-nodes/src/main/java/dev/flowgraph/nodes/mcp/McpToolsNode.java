package dev.flowgraph.nodes.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.nodes.tool.ToolOffer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** The running MCP tools node: connects when the flow starts, sends each tool on, and closes the server at the end. */
final class McpToolsNode extends ToolOffer {
    private static final Logger log = LoggerFactory.getLogger(McpToolsNode.class);

    private McpSyncClient client;
    private String server;

    McpToolsNode(NodeContext context) {
        super(context, McpTools.TOOLS);
    }

    @Override
    public void start() {
        NodeSettings s = context.settings();
        Duration timeout = Duration.ofSeconds(s.integer(McpTools.TIMEOUT));
        McpClientTransport transport;
        if (!s.string(McpTools.URL).isBlank()) {
            server = "MCP server at " + s.string(McpTools.URL);
            java.net.URI uri = java.net.URI.create(s.string(McpTools.URL));
            String base = uri.getScheme() + "://" + uri.getRawAuthority();
            transport = HttpClientStreamableHttpTransport.builder(base).endpoint(uri.getRawPath()).build();
        } else {
            server = "MCP server '" + s.string(McpTools.COMMAND) + "'";
            transport = new StdioClientTransport(ServerParameters.builder(s.string(McpTools.COMMAND))
                    .args(s.stringList(McpTools.ARGS)).build(), McpJsonDefaults.getMapper());
        }
        client = McpClient.sync(transport).requestTimeout(timeout).initializationTimeout(timeout).build();
        try {
            client.initialize();
        } catch (RuntimeException e) {
            throw new IllegalStateException(server + " did not start: " + e.getMessage(), e);
        }
        List<String> only = s.stringList(McpTools.ONLY);
        List<McpSchema.Tool> listed = client.listTools().tools();
        List<String> missing = new ArrayList<>(only);
        missing.removeAll(listed.stream().map(McpSchema.Tool::name).toList());
        if (!missing.isEmpty()) {
            throw new IllegalStateException(server + " has no tool " + missing + "; it has "
                    + listed.stream().map(McpSchema.Tool::name).toList());
        }
        for (McpSchema.Tool tool : listed) {
            if (only.isEmpty() || only.contains(tool.name())) {
                offer(new ServerTool(tool));
            }
        }
        log.info("node '{}': {} offers {}", context.nodeId(), server, listed.stream().map(McpSchema.Tool::name)
                .filter(n -> only.isEmpty() || only.contains(n)).toList());
    }

    /** One of the server's tools, called through the node's client. */
    private final class ServerTool implements Tool {
        private final McpSchema.Tool tool;
        private final JsonNode parameters;

        ServerTool(McpSchema.Tool tool) {
            this.tool = tool;
            this.parameters = Values.JSON.valueToTree(tool.inputSchema());
        }

        @Override
        public String name() {
            return tool.name();
        }

        @Override
        public String description() {
            return tool.description() == null ? "" : tool.description();
        }

        @Override
        public JsonNode parameters() {
            return parameters;
        }

        @Override
        public CompletableFuture<String> call(JsonNode arguments, Run run) {
            @SuppressWarnings("unchecked")
            Map<String, Object> args = Values.JSON.convertValue(arguments, Map.class);
            CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
                McpSchema.CallToolResult answer = client.callTool(new McpSchema.CallToolRequest(tool.name(), args));
                String text = answer.content().stream().map(McpToolsNode::text).collect(Collectors.joining("\n"));
                if (Boolean.TRUE.equals(answer.isError())) {
                    throw new IllegalStateException(text.isBlank() ? server + " reported an error" : text);
                }
                return text;
            }, context.workers());
            if (run != null) {
                run.onCancel(() -> result.cancel(true));
            }
            return result;
        }
    }

    private static String text(McpSchema.Content content) {
        return content instanceof McpSchema.TextContent t ? t.text() : "[" + content.type() + " content]";
    }

    @Override
    public void close() {
        if (client != null) {
            client.closeGracefully();
        }
    }
}
