package dev.flowgraph.core.validate;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.testing.TestFlows;
import dev.flowgraph.core.testing.TestNodes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.flowgraph.core.testing.TestFlows.node;
import static org.assertj.core.api.Assertions.assertThat;

class FlowValidatorTest {
    private final FlowValidator validator = new FlowValidator(TestNodes.registry());

    private List<Problem> validate(FlowDocument flow) {
        return validator.validate(flow);
    }

    private static FlowDocument with(FlowDocument base, List<NodeInstance> extraNodes, List<Wire> wires) {
        List<NodeInstance> nodes = new ArrayList<>(base.nodes());
        nodes.addAll(extraNodes);
        return new FlowDocument(base.format(), base.name(), "", nodes, wires);
    }

    private static FlowDocument withSettings(String nodeId, Map<String, Object> settings) {
        FlowDocument base = TestFlows.loop(0);
        List<NodeInstance> nodes = base.nodes().stream()
                .map(n -> n.id().equals(nodeId) ? new NodeInstance(n.id(), n.type(), n.position(), settings) : n)
                .toList();
        return new FlowDocument(base.format(), base.name(), "", nodes, base.wires());
    }

    @Test
    void theTestLoopIsValid() {
        assertThat(validate(TestFlows.loop(0))).isEmpty();
    }

    @Test
    void unknownNodeType() {
        FlowDocument flow = with(TestFlows.loop(0), List.of(node("x", "no.such.type", Map.of())), TestFlows.loop(0).wires());
        assertThat(validate(flow)).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.UNKNOWN_NODE_TYPE);
            assertThat(p.nodeId()).isEqualTo("x");
            assertThat(p.message()).contains("no.such.type");
        });
    }

    @Test
    void unknownPortOnEitherEnd() {
        List<Wire> wires = new ArrayList<>(TestFlows.loop(0).wires());
        wires.add(Wire.of("words.nope", "entry.back"));
        wires.add(Wire.of("entry.out", "words.missing"));
        List<Problem> problems = validate(with(TestFlows.loop(0), List.of(), wires));
        assertThat(problems).extracting(Problem::kind).containsExactly(ProblemKind.UNKNOWN_PORT, ProblemKind.UNKNOWN_PORT);
        assertThat(problems).extracting(Problem::subject).containsExactly("nope", "missing");
    }

    @Test
    void wireToANodeThatIsNotThere() {
        List<Wire> wires = new ArrayList<>(TestFlows.loop(0).wires());
        wires.add(Wire.of("ghost.text", "entry.back"));
        assertThat(validate(with(TestFlows.loop(0), List.of(), wires)))
                .extracting(Problem::kind).containsExactly(ProblemKind.UNKNOWN_NODE);
    }

    @Test
    void duplicateIds() {
        FlowDocument flow = with(TestFlows.loop(0), List.of(node("words", "test.words", Map.of())), TestFlows.loop(0).wires());
        assertThat(validate(flow)).extracting(Problem::kind).containsExactly(ProblemKind.DUPLICATE_NODE_ID);
    }

    @Test
    void portTypeMismatch() {
        // CHAT output into a TEXT input.
        FlowDocument base = TestFlows.loop(0);
        List<Wire> wires = List.of(Wire.of("alive.signal", "entry.alive"), Wire.of("entry.out", "faulty.chat"),
                Wire.of("faulty.chat", "entry.back"));
        List<Problem> problems = validate(with(base, List.of(), wires));
        assertThat(problems).filteredOn(p -> p.kind() == ProblemKind.TYPE_MISMATCH).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("takes text").contains("gives chat"));
    }

    @Test
    void requiredInputNotWired() {
        FlowDocument base = TestFlows.loop(0);
        List<Wire> wires = base.wires().stream().filter(w -> !w.to().toString().equals("words.chat")).toList();
        assertThat(validate(with(base, List.of(), wires))).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.REQUIRED_INPUT_UNWIRED);
            assertThat(p.nodeId()).isEqualTo("words");
            assertThat(p.subject()).isEqualTo("chat");
        });
    }

    @Test
    void settingOfTheWrongTypeOrOutOfRange() {
        assertThat(validate(withSettings("faulty", Map.of("ratio", 1.5, "mode", "c", "flag", "yes"))))
                .extracting(Problem::kind, Problem::subject)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ProblemKind.INVALID_SETTING, "ratio"),
                        org.assertj.core.groups.Tuple.tuple(ProblemKind.INVALID_SETTING, "mode"),
                        org.assertj.core.groups.Tuple.tuple(ProblemKind.INVALID_SETTING, "flag"));
        assertThat(validate(withSettings("words", Map.of("pauseMillis", 2.5))))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("whole number"));
        assertThat(validate(withSettings("words", Map.of("pauseMillis", "${env:PAUSE}"))))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("environment variable"));
    }

    @Test
    void requiredSettingMissingOrNotMatchingItsPatternAndUnknownSetting() {
        assertThat(validate(withSettings("entry", Map.of()))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("label").contains("required"));
        assertThat(validate(withSettings("entry", Map.of("label", "ABC1")))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("must match"));
        assertThat(validate(withSettings("entry", Map.of("label", "${env:LABEL}")))).isEmpty();
        assertThat(validate(withSettings("entry", Map.of("label", "ok", "colour", "red")))).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(ProblemKind.UNKNOWN_SETTING));
    }

    @Test
    void cycleThatDoesNotPassThroughALoopBoundary() {
        FlowDocument base = TestFlows.loop(0);
        List<Wire> wires = new ArrayList<>(base.wires());
        wires.add(Wire.of("faulty.chat", "faulty.chat")); // a node feeding itself
        assertThat(validate(with(base, List.of(), wires))).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.ILLEGAL_CYCLE);
            assertThat(p.message()).contains("faulty");
        });
        // The loop entry → faulty → words → entry itself is fine: it passes through the entry.
        assertThat(validate(base)).isEmpty();
    }

    @Test
    void entryWhoseKeepAliveIsNotWiredFromTheRightNodeType() {
        FlowDocument base = TestFlows.loop(0);
        List<Wire> unwired = base.wires().stream().filter(w -> !w.to().toString().equals("entry.alive")).toList();
        assertThat(validate(with(base, List.of(), unwired))).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(ProblemKind.REQUIRED_INPUT_UNWIRED));

        // Wired, but from a node that is not a keep-alive source.
        List<Wire> wrong = new ArrayList<>(unwired);
        wrong.add(Wire.of("faulty.chat", "entry.alive"));
        assertThat(validate(with(base, List.of(), wrong))).extracting(Problem::kind)
                .contains(ProblemKind.WRONG_SOURCE_TYPE);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        FlowDocument base = TestFlows.loop(0);
        List<NodeInstance> nodes = new ArrayList<>(base.nodes());
        nodes.add(node("x", "no.such.type", Map.of()));
        nodes.add(node("words", "test.words", Map.of("pauseMillis", -1)));
        List<Wire> wires = new ArrayList<>(base.wires());
        wires.add(Wire.of("faulty.chat", "faulty.chat"));
        List<Problem> problems = validate(new FlowDocument(1, "bad", "", nodes, wires));
        assertThat(problems).extracting(Problem::kind).contains(ProblemKind.UNKNOWN_NODE_TYPE,
                ProblemKind.DUPLICATE_NODE_ID, ProblemKind.INVALID_SETTING, ProblemKind.ILLEGAL_CYCLE);
    }
}
