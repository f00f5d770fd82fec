package dev.flowgraph.nodes.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.core.chat.ChatInput;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.Usage;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.nodes.remote.RemoteCallException;
import dev.flowgraph.nodes.remote.ToolChat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running Agent: per run, on a worker, calls the model with the conversation and the tools, runs the tool calls it
 * asks for (see {@link ToolCalls}) and calls it again with their results, until it answers without calling a tool or
 * {@code maxSteps} is reached. Tools arrive on the flow's own run as the flow starts.
 */
final class AgentNode implements NodeBehavior {
    private static final Logger log = LoggerFactory.getLogger(AgentNode.class);

    private final NodeContext context;
    private final Outlet out;
    private final ChatInput chat;
    private final AgentModel model;
    private final Map<String, Tool> tools = new ConcurrentHashMap<>();
    private final int maxSteps;
    private final boolean firstStepCallsTool;
    private final ToolCalls calls;

    AgentNode(NodeContext context) {
        this.context = context;
        NodeSettings s = context.settings();
        this.out = context.output(Agent.TEXT.name());
        this.chat = new ChatInput(out, (run, request) -> context.workers().execute(() -> answer(run, request)));
        this.model = s.string(Agent.PROVIDER).equals(Agent.LOCAL) ? new LocalToolModel(context.nodeId(), s)
                : new ServiceModel(s);
        this.maxSteps = s.integer(Agent.MAX_STEPS);
        this.firstStepCallsTool = s.string(Agent.TOOL_CHOICE).equals("required");
        this.calls = new ToolCalls(context.nodeId(), tools, Duration.ofSeconds(s.integer(Agent.TOOL_TIMEOUT)),
                s.string(Agent.TOOL_ERRORS).equals(Agent.TELL_MODEL), context.workers());
    }

    @Override
    public void start() throws Exception {
        model.start();
    }

    @Override
    public void receive(String inputPort, Packet packet) {
        if (Agent.TOOLS.name().equals(inputPort)) {
            if (packet instanceof Packet.Delta delta && delta.value() instanceof Tool tool) {
                Tool before = tools.putIfAbsent(tool.name(), tool);
                if (before != null && before != tool) {
                    log.warn("node '{}': two tools are named '{}'; the model sees the first", context.nodeId(), tool.name());
                }
            }
            return;
        }
        chat.receive(packet);
    }

    private void answer(Run run, ChatRequest request) {
        ArrayNode messages = Values.JSON.createArrayNode();
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
        int promptTokens = 0;
        int completionTokens = 0;
        try {
            for (int step = 1; step <= maxSteps; step++) {
                if (run.isCancelled()) {
                    out.emit(new Packet.End(run, new Usage(promptTokens, completionTokens), Packet.End.CANCELLED));
                    return;
                }
                long started = System.nanoTime();
                ToolChat.Step answer = model.step(run, messages, List.copyOf(tools.values()),
                        step == 1 && firstStepCallsTool, piece -> out.emit(new Packet.Delta(run, piece)));
                promptTokens += answer.usage().promptTokens();
                completionTokens += answer.usage().completionTokens();
                run.trace().note(context.nodeId(), "step " + step, model.lastSent() + ", "
                        + (answer.calls().isEmpty() ? "answered" : answer.calls().size() + " tool call(s)") + ", "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
                if (answer.calls().isEmpty()) {
                    run.trace().tokens(context.nodeId(), promptTokens, completionTokens);
                    out.emit(new Packet.End(run, new Usage(promptTokens, completionTokens),
                            "length".equals(answer.finishReason()) ? Packet.End.LENGTH : Packet.End.STOP));
                    return;
                }
                messages.add(assistantWithCalls(answer));
                for (ToolCalls.Result result : calls.run(run, step, answer.calls())) {
                    messages.addObject().put("role", "tool").put("tool_call_id", result.callId())
                            .put("content", result.content());
                }
            }
            fail(run, "the agent reached maxSteps (" + maxSteps + ") without a final answer");
        } catch (RemoteCallException e) {
            if (run.isCancelled()) {
                out.emit(new Packet.End(run, new Usage(promptTokens, completionTokens), Packet.End.CANCELLED));
            } else {
                fail(run, e.getMessage());
            }
        } catch (ToolCalls.ToolFailed e) {
            fail(run, e.getMessage());
        } catch (RuntimeException e) {
            fail(run, "the agent failed: " + e);
        }
    }

    /** The model's step as the conversation keeps it: its text and the calls it asked for, in OpenAI's shape. */
    private static ObjectNode assistantWithCalls(ToolChat.Step answer) {
        ObjectNode message = Values.JSON.createObjectNode().put("role", "assistant");
        if (answer.content().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", answer.content());
        }
        ArrayNode list = message.putArray("tool_calls");
        for (ToolChat.ToolCall call : answer.calls()) {
            ObjectNode c = list.addObject().put("id", call.id()).put("type", "function");
            c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
        return message;
    }

    private void fail(Run run, String message) {
        log.warn("node '{}' {}: {}", context.nodeId(), run, message);
        run.trace().error(context.nodeId(), message);
        out.emit(new Packet.Failure(run, context.nodeId(), message));
    }

    @Override
    public void close() {
        model.close();
    }
}
