package dev.flowgraph.nodes.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingProblem;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.core.value.WholeInput;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Text → a JSON array of its pieces (lines, comma-separated items, sentences, or pieces between regex matches). */
public final class SplitText implements NodeType {
    public static final String TYPE = "text.split";
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Split text")
            .category("Text")
            .description("Splits a run's whole text into a JSON array of strings (for For each): by line, by comma, "
                    + "into sentences, or wherever a regular expression matches.")
            .input(PortSpec.required("text", DataType.TEXT, "The text to split (waits for its end)"))
            .output(PortSpec.output("items", DataType.JSON, "The pieces, as a JSON array of strings"))
            .setting(SettingSpec.choice("by", "newline", "newline", "comma", "sentences", "regex")
                    .help("Where to cut: at each line break, at each comma, after '.', '!' or '?' followed by space, "
                            + "or wherever 'pattern' matches."))
            .setting(SettingSpec.string("pattern", "\\s*;\\s*").help("The regular expression to cut at, when 'by' "
                    + "is regex."))
            .setting(SettingSpec.bool("trim", true).help("Strip spaces around each piece."))
            .setting(SettingSpec.bool("dropEmpty", true).help("Leave out empty pieces."))
            .check((settings, scope) -> settings.string("by").equals("regex")
                    ? compileProblem(settings.string("pattern")) : List.of())
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Pattern cut = switch (context.settings().string("by")) {
            case "comma" -> Pattern.compile(",");
            case "sentences" -> SENTENCE_END;
            case "regex" -> Pattern.compile(context.settings().string("pattern"));
            default -> Pattern.compile("\\r?\\n");
        };
        boolean trim = context.settings().bool("trim");
        boolean dropEmpty = context.settings().bool("dropEmpty");
        Outlet out = context.output("items");
        WholeInput input = new WholeInput(out, (run, value, end) -> {
            out.emit(new Packet.Delta(run, split(Values.text(value), cut, trim, dropEmpty)));
            out.emit(Packet.End.of(run));
        });
        return (inputPort, packet) -> input.receive(packet);
    }

    static ArrayNode split(String text, Pattern cut, boolean trim, boolean dropEmpty) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (String piece : cut.split(text, -1)) {
            String item = trim ? piece.strip() : piece;
            if (!(dropEmpty && item.isEmpty())) {
                items.add(item);
            }
        }
        return items;
    }

    private static List<SettingProblem> compileProblem(String pattern) {
        try {
            Pattern.compile(pattern);
            return List.of();
        } catch (PatternSyntaxException e) {
            return List.of(new SettingProblem("pattern", "'" + pattern + "' does not compile: " + e.getDescription()
                    + " near index " + e.getIndex()));
        }
    }
}
