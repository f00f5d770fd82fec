package dev.flowgraph.nodes.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.nodes.remote.RemoteCallException;
import dev.flowgraph.nodes.remote.ToolChat;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * The model an Agent asks at each step: a service with native tool calls ({@link ServiceModel}), or a local model held
 * to a grammar made from the tools' schemas ({@link LocalToolModel}). Both read and answer the conversation in OpenAI's
 * message shape.
 */
interface AgentModel extends AutoCloseable {

    void start() throws Exception;

    /**
     * One step: the model's answer to {@code messages} with {@code tools} offered.
     *
     * @param mustCallTool the step must call a tool (the agent's {@code toolChoice: required}, on its first step)
     * @param text         gets the answer's text as it comes
     */
    ToolChat.Step step(Run run, ArrayNode messages, Collection<Tool> tools, boolean mustCallTool, Consumer<String> text)
            throws RemoteCallException;

    /** What the trace says was sent in the last step, such as "1234 chars sent". */
    String lastSent();

    @Override
    void close();
}
