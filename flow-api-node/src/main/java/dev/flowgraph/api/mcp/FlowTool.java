package dev.flowgraph.api.mcp;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.GenerationOptions;
import dev.flowgraph.core.run.FlowEntry;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A flow as one MCP tool: named after the flow ({@code story-api} → {@code story-api}; characters outside
 * {@code [A-Za-z0-9_-]} become {@code _}), described by the flow's description, taking {@code prompt} (required),
 * {@code system} and {@code session_id}. A call runs the flow once; its result is the answer's text, and a failed run
 * is a tool error carrying the flow's message. A client that gives a progress token hears a progress notification
 * per piece of the answer as it streams: the piece as its message, the characters so far as its progress. The SDK calls the handler on its own
 * threads, one per call.
 */
public final class FlowTool {
    static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"prompt\":{\"type\":\"string\",\"description\":\"The user message sent to the flow.\"},"
            + "\"system\":{\"type\":\"string\",\"description\":\"A system message sent before it.\"},"
            + "\"session_id\":{\"type\":\"string\",\"description\":\"A conversation to continue, for a flow that "
            + "remembers conversations.\"}},\"required\":[\"prompt\"]}";

    private FlowTool() {
    }

    /** The tool's name for a flow named {@code flowName}. */
    public static String name(String flowName) {
        String name = flowName.replaceAll("[^A-Za-z0-9_-]", "_");
        return name.isEmpty() ? "flow" : name;
    }

    /** The tool, ready to be given to an MCP server, that runs the flow entered at {@code entry}. */
    public static McpServerFeatures.SyncToolSpecification of(String flowName, String description, FlowEntry entry) {
        return of(flowName, description, entry, () -> () -> { });
    }

    /**
     * Like {@link #of(String, String, FlowEntry)}, each call first taking one of the flow's slots from {@code slot}
     * (which gives what releases it, or null when every slot is busy: the call is then a tool error saying so).
     */
    public static McpServerFeatures.SyncToolSpecification of(String flowName, String description, FlowEntry entry,
                                                             java.util.function.Supplier<Runnable> slot) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name(flowName))
                .description(description == null || description.isBlank() ? "Runs the flow '" + flowName + "'."
                        : description)
                .inputSchema(McpJsonDefaults.getMapper(), INPUT_SCHEMA).build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, call) -> {
                    Runnable release = slot.get();
                    if (release == null) {
                        return error("the flow is busy with other requests; retry in a moment");
                    }
                    try {
                        return call(entry, exchange, call);
                    } finally {
                        release.run();
                    }
                }).build();
    }

    private static McpSchema.CallToolResult call(FlowEntry entry, McpSyncServerExchange exchange,
                                                 McpSchema.CallToolRequest call) {
        ChatRequest request;
        try {
            request = request(call);
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
        Object progressToken = call.meta() == null ? null : call.meta().get("progressToken");
        // The listener runs on the flow's entry node: it only queues; this thread writes the progress out.
        LinkedBlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
        Run run;
        try {
            run = entry.submit(request, packets::offer);
        } catch (IllegalStateException e) {
            return error("the flow is not running: " + e.getMessage());
        }
        StringBuilder text = new StringBuilder();
        try {
            while (true) {
                Packet packet = packets.take();
                if (packet instanceof Packet.Delta delta) {
                    text.append((String) delta.value());
                    if (progressToken != null) {
                        exchange.progressNotification(new McpSchema.ProgressNotification(progressToken,
                                text.length(), null, (String) delta.value()));
                    }
                } else if (packet instanceof Packet.Failure failure) {
                    return error("the flow failed at node '" + failure.nodeId() + "': " + failure.message());
                } else if (packet.isTerminal()) {
                    return McpSchema.CallToolResult.builder().addTextContent(text.toString()).isError(false).build();
                }
            }
        } catch (InterruptedException e) {
            run.cancel("the MCP call was interrupted");
            Thread.currentThread().interrupt();
            return error("the call was interrupted");
        }
    }

    /** The call's arguments as the flow's request; an argument of the wrong type is refused, naming it. */
    static ChatRequest request(McpSchema.CallToolRequest call) {
        var arguments = call.arguments() == null ? java.util.Map.<String, Object>of() : call.arguments();
        String prompt = text(arguments.get("prompt"), "prompt");
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("'prompt' is required: the user message sent to the flow");
        }
        String system = text(arguments.get("system"), "system");
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null && !system.isBlank()) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        return new ChatRequest(messages, GenerationOptions.NONE, text(arguments.get("session_id"), "session_id"));
    }

    private static String text(Object value, String name) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException("'" + name + "' must be a string");
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
