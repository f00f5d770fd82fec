package dev.flowgraph.nodes.text;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.Role;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortScope;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.Usage;
import dev.flowgraph.core.value.Values;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text with {@code {{name}}} placeholders, one input per name. In text mode it streams: the literal parts go out as
 * soon as the run is known, and the input being written passes through piece by piece as it arrives, so a template
 * after a model does not delay its first token.
 */
public final class Template implements NodeType {
    public static final String TYPE = "text.template";
    private static final String TEXT = "text";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Template")
            .category("Text")
            .description("Fills {{name}} placeholders from the inputs of the same names. As text it streams: literal "
                    + "parts go out at once and each input passes through as it arrives (later placeholders wait their "
                    + "turn). As a user or system message it waits for every input and sends a conversation on: the "
                    + "one that came in (when an input brings a conversation) with the message put in, else a new one.")
            .setting(SettingSpec.text("template", "{{input}}").help("The text; each {{name}} becomes an input. "
                    + "A conversation on an input reads as its last user message, JSON as JSON text."))
            .setting(SettingSpec.choice("output", TEXT, TEXT, "user", "system").help("text: streamed text; user: "
                    + "the filled text replaces the last user message (or is the only message); system: it is put "
                    + "first as a system message."))
            .ports("one input per {{name}} in the template; the output is text or a conversation by 'output'",
                    Template::ports)
            .check((settings, scope) -> problems(settings.string("template")))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        TemplateText template = TemplateText.parse(context.settings().string("template"));
        String mode = context.settings().string("output");
        return new Behaviour(context.output("out"), template, mode);
    }

    private static NodePorts ports(NodeSettings settings, PortScope scope) {
        List<PortSpec> inputs = new ArrayList<>();
        for (String name : TemplateText.namesOrNone(settings.string("template"))) {
            inputs.add(PortSpec.required(name, DataType.ANY, "Fills {{" + name + "}}"));
        }
        boolean text = settings.string("output").equals(TEXT);
        return new NodePorts(inputs, List.of(text
                ? PortSpec.output("out", DataType.TEXT, "The filled text, streamed")
                : PortSpec.output("out", DataType.CHAT, "The conversation with the filled message")));
    }

    private static List<SettingProblem> problems(String template) {
        try {
            if (TemplateText.parse(template).names().isEmpty()) {
                return List.of(new SettingProblem("template", "has no {{placeholder}}: a template needs at least "
                        + "one input (write {{input}} where the incoming text goes)"));
            }
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(new SettingProblem("template", e.getMessage()));
        }
    }

    /** Fills the template per run. Used on the mailbox only. */
    private static final class Behaviour implements NodeBehavior {
        private final Outlet out;
        private final TemplateText template;
        private final boolean streams;
        private final Role role;
        private final Map<Run, Filling> runs = new HashMap<>();

        Behaviour(Outlet out, TemplateText template, String mode) {
            this.out = out;
            this.template = template;
            this.streams = mode.equals(TEXT);
            this.role = mode.equals("system") ? Role.SYSTEM : Role.USER;
        }

        /** One run's inputs so far and how far the text has gone out. */
        private final class Filling {
            final Map<String, StringBuilder> texts = new HashMap<>();
            final Map<String, Object> values = new HashMap<>();
            final Map<String, Boolean> ended = new HashMap<>();
            ChatRequest conversation;
            int next; // the first part not yet written out
            int written; // of the part at `next` when it is a placeholder: the characters already out
            int prompt;
            int completion;
            String finish = Packet.End.STOP;
            boolean failed;

            /** An input's text so far, not copied (this is read on every token). */
            CharSequence text(String name) {
                Object value = values.get(name);
                if (value != null) {
                    return Values.text(value);
                }
                StringBuilder sb = texts.get(name);
                return sb == null ? "" : sb;
            }

            /** Writes out what can go out now, in order, as one piece (a literal and the first token travel together). */
            void advance(Run run) {
                StringBuilder ready = new StringBuilder();
                while (next < template.parts().size()) {
                    TemplateText.Part part = template.parts().get(next);
                    if (part instanceof TemplateText.Literal literal) {
                        ready.append(literal.text());
                    } else {
                        String name = ((TemplateText.Slot) part).name();
                        CharSequence sofar = text(name);
                        if (sofar.length() > written) {
                            ready.append(sofar, written, sofar.length());
                            written = sofar.length();
                        }
                        if (!ended.getOrDefault(name, false)) {
                            break;
                        }
                    }
                    next++;
                    written = 0;
                }
                if (!ready.isEmpty()) {
                    out.emit(new Packet.Delta(run, ready.toString()));
                }
            }

            String whole() {
                StringBuilder sb = new StringBuilder();
                for (TemplateText.Part part : template.parts()) {
                    sb.append(part instanceof TemplateText.Literal l ? l.text() : text(((TemplateText.Slot) part).name()));
                }
                return sb.toString();
            }
        }

        @Override
        public void receive(String inputPort, Packet packet) {
            Run run = packet.run();
            Filling f = runs.computeIfAbsent(run, r -> new Filling());
            if (packet instanceof Packet.Failure) {
                if (!f.failed) {
                    f.failed = true;
                    out.emit(packet);
                }
                f.ended.put(inputPort, true);
                finishIfDone(run, f);
                return;
            }
            if (f.failed) {
                if (packet.isTerminal()) {
                    f.ended.put(inputPort, true);
                    finishIfDone(run, f);
                }
                return;
            }
            if (packet instanceof Packet.Delta delta) {
                if (delta.value() instanceof String s) {
                    f.texts.computeIfAbsent(inputPort, k -> new StringBuilder()).append(s);
                } else {
                    if (delta.value() instanceof ChatRequest chat) {
                        f.conversation = chat;
                    }
                    f.values.put(inputPort, delta.value());
                }
            } else if (packet instanceof Packet.End end) {
                f.ended.put(inputPort, true);
                f.prompt += end.usage().promptTokens();
                f.completion += end.usage().completionTokens();
                if (!Packet.End.STOP.equals(end.finishReason())) {
                    f.finish = end.finishReason();
                }
            }
            if (streams) {
                f.advance(run);
            }
            finishIfDone(run, f);
        }

        private void finishIfDone(Run run, Filling f) {
            if (f.ended.size() < template.names().size()) {
                return;
            }
            runs.remove(run);
            if (f.failed) {
                return;
            }
            if (!streams) {
                out.emit(new Packet.Delta(run, conversation(f)));
            }
            out.emit(new Packet.End(run, new Usage(f.prompt, f.completion), f.finish));
        }

        private ChatRequest conversation(Filling f) {
            ChatMessage message = new ChatMessage(role, f.whole());
            if (f.conversation == null) {
                return new ChatRequest(List.of(message));
            }
            List<ChatMessage> messages = new ArrayList<>(f.conversation.messages());
            if (role == Role.SYSTEM) {
                messages.add(0, message);
            } else {
                int last = -1;
                for (int i = messages.size() - 1; i >= 0 && last < 0; i--) {
                    last = messages.get(i).role() == Role.USER ? i : -1;
                }
                if (last < 0) {
                    messages.add(message);
                } else {
                    messages.set(last, message);
                }
            }
            return f.conversation.withMessages(messages);
        }
    }
}
