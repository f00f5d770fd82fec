package dev.flowgraph.nodes.prompt;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.Role;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;

import java.util.ArrayList;
import java.util.List;

/** Shapes the request's conversation: puts a system prompt first and rewrites the last user message with a template. */
public final class ChatPrompt implements NodeType {
    public static final String TYPE = "prompt.chat";
    public static final String INPUT_PLACEHOLDER = "{{input}}";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Chat prompt")
            .category("Prompt")
            .description("Adds a system prompt and applies a template to the last user message.")
            .input(PortSpec.required("chat", DataType.CHAT, "The conversation to shape"))
            .output(PortSpec.output("chat", DataType.CHAT, "The shaped conversation"))
            .setting(SettingSpec.text("systemPrompt", "")
                    .help("Placed first in the conversation, before any system message the client sent. "
                            + "Empty: none is added."))
            .setting(SettingSpec.text("template", INPUT_PLACEHOLDER)
                    .help("Replaces the last user message; {{input}} stands for its text."))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        String systemPrompt = context.settings().string("systemPrompt");
        String template = context.settings().string("template");
        Outlet out = context.output("chat");
        return (inputPort, packet) -> {
            if (packet instanceof Packet.Delta delta && delta.value() instanceof ChatRequest request) {
                out.emit(new Packet.Delta(delta.run(), shape(request, systemPrompt, template)));
            } else {
                out.emit(packet);
            }
        };
    }

    static ChatRequest shape(ChatRequest request, String systemPrompt, String template) {
        List<ChatMessage> messages = new ArrayList<>(request.messages().size() + 1);
        if (!systemPrompt.isBlank()) {
            messages.add(ChatMessage.system(systemPrompt));
        }
        messages.addAll(request.messages());
        if (!template.equals(INPUT_PLACEHOLDER)) {
            for (int i = messages.size() - 1; i >= 0; i--) {
                if (messages.get(i).role() == Role.USER) {
                    messages.set(i, ChatMessage.user(template.replace(INPUT_PLACEHOLDER, messages.get(i).content())));
                    break;
                }
            }
        }
        return request.withMessages(messages);
    }
}
