package dev.flowgraph.nodes.subflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import dev.flowgraph.core.value.Values;
import dev.flowgraph.core.value.WholeInput;

import java.util.ArrayList;
import java.util.List;

/** Runs a sub-flow once per item of a list, a few at a time, and gives the results in item order. */
public final class ForEach implements NodeType {
    public static final String TYPE = "flow.foreach";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "For each")
            .category("Flow")
            .description("Runs a sub-flow once per item of a list (a JSON array, or the lines of a text), up to "
                    + "'concurrency' items at a time. The results come out in item order, never in the order they "
                    + "finish: as a JSON array at the end, and as text, one '## item' section per item, each sent as "
                    + "soon as it and the items before it are done. The sub-flow has one Flow input (the item) and "
                    + "its first Flow output is the result.")
            .input(PortSpec.required("items", DataType.ANY, "The list: a JSON array, or text (a JSON array in text, "
                    + "else one item per non-empty line)"))
            .output(PortSpec.output("results", DataType.JSON, "The results in item order, as a JSON array"))
            .output(PortSpec.output("text", DataType.TEXT, "One section per item, in item order: '## item', then "
                    + "its result"))
            .setting(FlowInterfaceFile.flowSetting(" per item"))
            .setting(SettingSpec.integer("concurrency", 2).range(1, 64)
                    .help("How many items run at the same time."))
            .setting(SettingSpec.choice("onError", "fail", "fail", "report").help("fail: a failed item fails the run, "
                    + "naming the item's index; report: its result is {\"error\": message} and the others go on."))
            .loopBoundary()
            .check((settings, scope) -> FlowInterfaceFile.problems(scope, settings.string(FlowInterfaceFile.FLOW),
                    true))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new Behaviour(context);
    }

    /** Turns the input into items: a JSON array's elements, another JSON value alone, or the text's lines. */
    static List<JsonNode> items(Object value) {
        JsonNode json = null;
        if (value instanceof JsonNode node) {
            json = node;
        } else {
            String text = Values.text(value).strip();
            if (text.startsWith("[")) {
                try {
                    json = Values.parse(text);
                } catch (IllegalArgumentException e) {
                    json = null; // not JSON after all: lines
                }
            }
            if (json == null) {
                List<JsonNode> lines = new ArrayList<>();
                for (String line : text.split("\\r?\\n")) {
                    if (!line.isBlank()) {
                        lines.add(JsonNodeFactory.instance.textNode(line.strip()));
                    }
                }
                return lines;
            }
        }
        List<JsonNode> items = new ArrayList<>();
        if (json.isArray()) {
            json.forEach(items::add);
        } else {
            items.add(json);
        }
        return items;
    }

    private static final class Behaviour extends SubFlowBehaviour {
        private final Outlet results;
        private final Outlet text;
        private final int concurrency;
        private final boolean failFast;
        private final WholeInput input;

        Behaviour(NodeContext context) {
            super(context);
            this.results = context.output("results");
            this.text = context.output("text");
            this.concurrency = context.settings().integer("concurrency");
            this.failFast = context.settings().string("onError").equals("fail");
            this.input = new WholeInput(new Outlet() {
                @Override
                public void emit(Packet packet) {
                    context.emitAll(packet);
                }
            }, (run, value, end) -> new Loop(run, items(value)).begin());
        }

        @Override
        public void receive(String inputPort, Packet packet) throws Exception {
            input.receive(packet);
        }

        /** One run's items; touched only on the mailbox. */
        private final class Loop {
            final Run run;
            final List<JsonNode> items;
            final JsonNode[] done;
            final List<java.util.concurrent.CompletableFuture<Object>> calls = new ArrayList<>();
            int running;
            int next;
            int written;
            boolean over;

            Loop(Run run, List<JsonNode> items) {
                this.run = run;
                this.items = items;
                this.done = new JsonNode[items.size()];
            }

            void begin() {
                run.trace().note(context.nodeId(), "items", Integer.toString(items.size()));
                while (next < items.size() && running < concurrency) {
                    launch(next++);
                }
                finishIfDone();
            }

            void launch(int index) {
                JsonNode item = items.get(index);
                Object value = item.isTextual() ? item.textValue() : item;
                var call = runner.callWhole(run, context.nodeId() + "[" + index + "]/", value);
                running++;
                calls.add(call);
                call.whenComplete((result, error) -> context.onMailbox(() -> completed(index, result, error)));
            }

            void completed(int index, Object result, Throwable error) {
                running--;
                if (over) {
                    return;
                }
                if (error != null) {
                    String message = (error.getCause() != null ? error.getCause() : error).getMessage();
                    if (failFast) {
                        over = true;
                        context.fail(run, new IllegalStateException("item at index " + index + " (" + label(index)
                                + ") failed: " + message));
                        calls.forEach(c -> c.cancel(true)); // the items still running stop too
                        return;
                    }
                    done[index] = JsonNodeFactory.instance.objectNode().put("error", message);
                } else {
                    done[index] = Values.jsonOrText(result);
                }
                while (written < items.size() && done[written] != null) {
                    JsonNode r = done[written];
                    String body = r.isObject() && r.has("error") && r.size() == 1 ? "(failed: " + r.get("error").asText()
                            + ")" : Values.text(r).strip();
                    text.emit(new Packet.Delta(run, (written == 0 ? "" : "\n\n") + "## " + label(written) + "\n\n" + body));
                    written++;
                }
                if (next < items.size()) {
                    launch(next++);
                }
                finishIfDone();
            }

            void finishIfDone() {
                if (over || written < items.size()) {
                    return;
                }
                over = true;
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                for (JsonNode r : done) {
                    array.add(r);
                }
                results.emit(new Packet.Delta(run, array));
                results.emit(Packet.End.of(run));
                text.emit(Packet.End.of(run));
            }

            String label(int index) {
                return Values.text(items.get(index));
            }
        }

    }
}
