package dev.flowgraph.nodes.http;

import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.core.value.WholeInput;

import java.util.Map;

/** The running HTTP request node: one call per run, off the mailbox, cancelled with its run. */
final class HttpCall implements NodeBehavior {
    private final NodeContext context;
    private final Outlet out;
    private final WholeInput input;
    private final HttpTemplate template;
    private final boolean json;

    HttpCall(NodeContext context) {
        this.context = context;
        this.out = context.output("response");
        this.template = new HttpTemplate(context);
        this.json = context.settings().string("answer").equals("json");
        this.input = new WholeInput(out, this::call);
    }

    @Override
    public void start() {
        template.start();
    }

    @Override
    public void receive(String inputPort, Packet packet) throws Exception {
        input.receive(packet);
    }

    /** {{input}} is the run's value as text, {{json}} as JSON. */
    private void call(Run run, Object value, Packet.End end) {
        String text = Values.text(value);
        String jsonText = Values.jsonOrText(value).toString();
        template.call(run, Map.of("input", text, "json", jsonText), Map.of("input", jsonText))
                .whenComplete((answer, error) -> answered(run, answer, error));
    }

    private void answered(Run run, HttpTemplate.Answer answer, Throwable error) {
        if (run.isCancelled()) {
            out.emit(new Packet.End(run, null, Packet.End.CANCELLED));
            return;
        }
        try {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            }
            out.emit(new Packet.Delta(run, json ? parse(answer) : answer.body()));
            out.emit(Packet.End.of(run));
        } catch (RuntimeException e) {
            context.fail(run, e);
        }
    }

    private Object parse(HttpTemplate.Answer answer) {
        try {
            return Values.parse(answer.body());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(answer.where() + " answered with text that is " + template.redact(e.getMessage()));
        }
    }
}
