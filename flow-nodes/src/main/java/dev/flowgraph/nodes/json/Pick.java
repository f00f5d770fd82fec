package dev.flowgraph.nodes.json;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodePorts;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.core.value.WholeInput;
import dev.flowgraph.nodes.route.Rule;

import java.util.List;

/** Takes one part of a JSON value by JSON Pointer, as text or as JSON. */
public final class Pick implements NodeType {
    public static final String TYPE = "json.pick";
    private static final PortSpec IN = PortSpec.required("json", DataType.JSON, "The value to pick from");

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Pick")
            .category("JSON")
            .description("Takes the part of a JSON value at a JSON Pointer (RFC 6901), such as /choices/0/text. "
                    + "Nothing there fails the run, or gives null, as 'missing' says.")
            .input(IN)
            .setting(SettingSpec.string("pointer", "").help("The JSON Pointer: '' is the whole value, /a/0 the first "
                    + "item of the field a."))
            .setting(SettingSpec.choice("as", "text", "text", "json").help("text: a string's content, anything "
                    + "else as JSON text; json: the value itself."))
            .setting(SettingSpec.choice("missing", "fail", "fail", "null").help("What nothing at the pointer does: "
                    + "fail the run, or give null (the text 'null')."))
            .ports("the output is text or JSON by 'as'", (settings, scope) -> new NodePorts(List.of(IN),
                    List.of(PortSpec.output("value", settings.string("as").equals("json") ? DataType.JSON
                            : DataType.TEXT, "The part picked"))))
            .check((settings, scope) -> pointerProblem(settings.string("pointer")))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        String pointerText = context.settings().string("pointer");
        JsonPointer pointer = Rule.pointer(pointerText);
        boolean asJson = context.settings().string("as").equals("json");
        boolean failWhenMissing = context.settings().string("missing").equals("fail");
        Outlet out = context.output("value");
        WholeInput input = new WholeInput(out, (run, value, end) -> {
            JsonNode picked = Values.json(value).at(pointer);
            if (picked.isMissingNode()) {
                if (failWhenMissing) {
                    throw new IllegalArgumentException("nothing at " + pointerText + " in " + excerpt(value));
                }
                picked = com.fasterxml.jackson.databind.node.NullNode.getInstance();
            }
            out.emit(new Packet.Delta(run, asJson ? picked : Values.text(picked)));
            out.emit(new Packet.End(run, end.usage(), end.finishReason()));
        });
        return (inputPort, packet) -> input.receive(packet);
    }

    private static String excerpt(Object value) {
        String text = Values.json(value).toString();
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }

    private static List<SettingProblem> pointerProblem(String pointer) {
        try {
            Rule.pointer(pointer);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(new SettingProblem("pointer", e.getMessage()));
        }
    }
}
