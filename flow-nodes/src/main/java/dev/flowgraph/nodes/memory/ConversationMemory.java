package dev.flowgraph.nodes.memory;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.Role;
import dev.flowgraph.core.chat.TokenCounter;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RunOutcome;
import dev.flowgraph.core.store.Conversations;
import dev.flowgraph.core.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Remembers conversations by their session id: puts a session's stored messages before a request's new ones, and
 * when the run is answered stores the new user message(s) and the whole answer. Stateless requests pass unchanged.
 */
public final class ConversationMemory implements NodeType {
    public static final String TYPE = "memory.conversation";
    private static final String CHAT = "chat";
    private static final String MAX_MESSAGES = "maxMessages";
    private static final String MAX_TOKENS = "maxTokens";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Conversation memory")
            .category("Prompt")
            .description("Keeps each conversation (the request's session_id) in the store: the session's earlier "
                    + "messages go before the new ones, and an answered run's turn is stored. Place it between the API "
                    + "element's request and the prompt.")
            .input(PortSpec.required(CHAT, DataType.CHAT, "The request's messages"))
            .output(PortSpec.output(CHAT, DataType.CHAT, "The conversation so far, then the new messages"))
            .setting(SettingSpec.integer(MAX_MESSAGES, 20).range(0, 10_000)
                    .help("How many of the session's latest stored messages go before the new ones."))
            .setting(SettingSpec.integer(MAX_TOKENS, 0).range(0, 10_000_000)
                    .help("At most this many tokens of stored messages (the latest kept), counted with the flow's "
                            + "Local LLM tokenizer (else about 4 characters a token). 0: no budget, only maxMessages."))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new Memory(context);
    }

    private static final class Memory implements NodeBehavior {
        private static final Logger log = LoggerFactory.getLogger(ConversationMemory.class);
        private final NodeContext context;
        private final Outlet out;
        private final int maxMessages;
        private final int maxTokens;

        Memory(NodeContext context) {
            this.context = context;
            this.out = context.output(CHAT);
            this.maxMessages = context.settings().integer(MAX_MESSAGES);
            this.maxTokens = context.settings().integer(MAX_TOKENS);
        }

        @Override
        public void start() {
            if (!context.store().isEnabled()) {
                log.warn("node '{}': there is no store (--store none), so conversations are not remembered",
                        context.nodeId());
            }
        }

        @Override
        public void receive(String inputPort, Packet packet) {
            if (packet instanceof Packet.Delta delta && delta.value() instanceof ChatRequest request
                    && request.session() != null && context.store().isEnabled()) {
                out.emit(new Packet.Delta(delta.run(), remember(delta.run(), request)));
            } else {
                out.emit(packet);
            }
        }

        /** The stored conversation before the new messages; the turn is stored when the run is answered. */
        private ChatRequest remember(Run run, ChatRequest request) {
            Conversations conversations = context.store().conversations();
            String session = request.session();
            List<ChatMessage> stored;
            try {
                stored = withinBudget(conversations.recent(context.flowName(), session, maxMessages));
            } catch (StoreUnavailableException e) {
                // Served without what came before rather than not at all; the store counts and logs it.
                stored = List.of();
                run.trace().note(context.nodeId(), "memory", "store unavailable");
            }
            run.trace().note(context.nodeId(), "remembered", stored.size() + " messages");
            List<ChatMessage> newTurn = newMessages(request.messages());
            root(run).onFinish(outcome -> store(conversations, session, newTurn, outcome));
            List<ChatMessage> messages = new ArrayList<>(request.messages().size() + stored.size());
            request.messages().stream().filter(m -> m.role() == Role.SYSTEM).forEach(messages::add);
            messages.addAll(stored);
            request.messages().stream().filter(m -> m.role() != Role.SYSTEM).forEach(messages::add);
            return request.withMessages(messages);
        }

        private CompletionStage<?> store(Conversations conversations, String session, List<ChatMessage> newTurn,
                                         RunOutcome outcome) {
            if (!outcome.status().answered()) {
                return null; // a failed or cancelled run leaves the conversation as it was
            }
            List<ChatMessage> turn = new ArrayList<>(newTurn);
            turn.add(ChatMessage.assistant(outcome.answer()));
            return conversations.append(context.flowName(), session, turn);
        }

        /** The latest stored messages that fit the token budget. */
        private List<ChatMessage> withinBudget(List<ChatMessage> stored) {
            if (maxTokens == 0 || stored.isEmpty()) {
                return stored;
            }
            TokenCounter counter = context.nodesOf(TokenCounter.class).stream().findFirst().orElse(null);
            int used = 0;
            int from = stored.size();
            while (from > 0) {
                String text = stored.get(from - 1).content();
                int n = counter == null ? -1 : counter.countTokens(text);
                used += n >= 0 ? n : (text.length() + 3) / 4;
                if (used > maxTokens) {
                    break;
                }
                from--;
            }
            return stored.subList(from, stored.size());
        }

        /** The client's new messages: those after the last answer it sent along, without system messages. */
        private static List<ChatMessage> newMessages(List<ChatMessage> messages) {
            int start = 0;
            for (int i = messages.size() - 1; i >= 0; i--) {
                if (messages.get(i).role() == Role.ASSISTANT) {
                    start = i + 1;
                    break;
                }
            }
            return messages.subList(start, messages.size()).stream().filter(m -> m.role() != Role.SYSTEM).toList();
        }

        private static Run root(Run run) {
            Run r = run;
            while (r.parent() != null) {
                r = r.parent();
            }
            return r;
        }
    }
}
