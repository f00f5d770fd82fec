package dev.flowgraph.nodes.mcp;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;

import java.util.List;

/**
 * Offers an MCP server's tools to agents: every tool it lists (or the ones named), reached over stdio (a command this
 * node starts) or Streamable HTTP (a URL), through the official MCP Java SDK.
 */
public final class McpTools implements NodeType {
    public static final String TYPE = "tool.mcp";
    static final PortSpec TOOLS = PortSpec.output("tools", DataType.TOOL, "The server's tools, for an Agent's tools input");
    static final String COMMAND = "command";
    static final String ARGS = "args";
    static final String URL = "url";
    static final String ONLY = "tools";
    static final String TIMEOUT = "timeoutSeconds";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "MCP tools")
            .category("Agent")
            .description("Offers the tools of an MCP (Model Context Protocol) server to an Agent: started as a command "
                    + "that speaks MCP over stdio, or reached at a Streamable HTTP URL. The server's own names, "
                    + "descriptions and parameter schemas are what the model sees.")
            .output(TOOLS)
            .setting(SettingSpec.string(COMMAND, "").help("The program to start for a stdio server, such as 'npx' or "
                    + "'node' (the flow stops it when it stops). Give this or url."))
            .setting(SettingSpec.stringList(ARGS).help("The command's arguments, one per line."))
            .setting(SettingSpec.string(URL, "").help("The Streamable HTTP endpoint of a running server, such as "
                    + "http://127.0.0.1:3001/mcp. Give this or command."))
            .setting(SettingSpec.stringList(ONLY).help("Only these tools, by name, one per line; empty: every tool "
                    + "the server lists."))
            .setting(SettingSpec.integer(TIMEOUT, 30).range(1, 3_600)
                    .help("How long starting the server, and each request to it, may take."))
            .check((settings, scope) -> settings.string(COMMAND).isBlank() == settings.string(URL).isBlank()
                    ? List.of(new SettingProblem(COMMAND, "give either a command (stdio) or a url (Streamable HTTP)"))
                    : List.of())
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new McpToolsNode(context);
    }
}
