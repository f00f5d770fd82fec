package dev.flowgraph.nodes.http;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;

import java.util.ArrayList;
import java.util.List;

/** Calls an HTTP service with the run's value in the URL or body; its answer, as JSON or text, goes on. */
public final class HttpRequest implements NodeType {
    public static final String TYPE = "http.request";
    static final PortSpec IN = PortSpec.required("input", DataType.ANY, "The value put into the URL and body "
            + "(waits for its end)");

    private static final NodeDescriptor DESCRIPTOR = HttpTemplate.declare(NodeDescriptor.builder(TYPE, "HTTP request")
            .category("Tools")
            .description("Calls an HTTP service once per run. In 'url' and 'body', {{input}} stands for the run's "
                    + "value as text (URL-encoded in the URL) and {{json}} for it as JSON (a string quoted). An answer "
                    + "outside 2xx fails the run with the status and the start of the answer; header values never "
                    + "appear in errors or logs.")
            .input(IN), "{{input}} is the run's value as text, {{json}} as JSON.")
            .setting(SettingSpec.choice("answer", "json", "json", "text").help("json: the answer is parsed (text "
                    + "that is not JSON fails the run); text: it goes on as it is."))
            .ports("the output is JSON or text by 'answer'", (settings, scope) -> new NodePorts(List.of(IN),
                    List.of(PortSpec.output("response", settings.string("answer").equals("json") ? DataType.JSON
                            : DataType.TEXT, "The service's answer"))))
            .check((settings, scope) -> HttpTemplate.problems(settings.string("url"), settings.stringList("headers")))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new HttpCall(context);
    }
}
