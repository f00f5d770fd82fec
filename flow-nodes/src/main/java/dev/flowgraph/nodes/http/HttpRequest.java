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

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "HTTP request")
            .category("Tools")
            .description("Calls an HTTP service once per run. In 'url' and 'body', {{input}} stands for the run's "
                    + "value as text (URL-encoded in the URL) and {{json}} for it as JSON (a string quoted). An answer "
                    + "outside 2xx fails the run with the status and the start of the answer; header values never "
                    + "appear in errors or logs.")
            .input(IN)
            .setting(SettingSpec.choice("method", "GET", "GET", "POST", "PUT", "PATCH", "DELETE")
                    .help("The HTTP method."))
            .setting(SettingSpec.string("url", "").asRequired().help("The address, http:// or https://; "
                    + "{{input}} is URL-encoded."))
            .setting(SettingSpec.text("body", "").help("The request body (not sent with GET or DELETE); empty: "
                    + "none. {{input}} and {{json}} are filled in."))
            .setting(SettingSpec.string("contentType", "application/json").help("The body's Content-Type."))
            .setting(SettingSpec.stringList("headers").asSecret().help("One header per line, 'Name: value'. Values "
                    + "may hold ${env:NAME} anywhere, read when the flow starts, so keys stay out of the file."))
            .setting(SettingSpec.number("timeoutSeconds", 30.0).range(0.1, 3600).help("How long the whole call "
                    + "may take before the run fails."))
            .setting(SettingSpec.choice("answer", "json", "json", "text").help("json: the answer is parsed (text "
                    + "that is not JSON fails the run); text: it goes on as it is."))
            .ports("the output is JSON or text by 'answer'", (settings, scope) -> new NodePorts(List.of(IN),
                    List.of(PortSpec.output("response", settings.string("answer").equals("json") ? DataType.JSON
                            : DataType.TEXT, "The service's answer"))))
            .check((settings, scope) -> problems(settings.string("url"), settings.stringList("headers")))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new HttpCall(context);
    }

    private static List<SettingProblem> problems(String url, List<String> headers) {
        List<SettingProblem> problems = new ArrayList<>();
        if (!url.isEmpty() && !url.startsWith("${env:") && !url.matches("(?i)https?://.+")) {
            problems.add(new SettingProblem("url", "must start with http:// or https://"));
        }
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.get(i).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+:.*")) {
                problems.add(new SettingProblem("headers", "line " + (i + 1) + " is not 'Name: value'"));
            }
        }
        return problems;
    }
}
