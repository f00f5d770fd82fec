package dev.flowgraph.nodes.flows;

import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.validate.FlowValidator;
import dev.flowgraph.core.validate.Problem;
import dev.flowgraph.core.validate.ProblemKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings that are well typed but still wrong are validation problems naming node and setting, not crashes. */
class NodeChecksTest {
    private final FlowValidator validator = new FlowValidator(NodeRegistry.discover());

    private List<Problem> problems(TestGraphs flow) {
        return validator.validate(flow.build());
    }

    @Test
    void aSwitchCaseWhoseRegexDoesNotCompile() {
        assertThat(problems(TestGraphs.flow("f").node("in", "flow.input")
                .node("route", "route.switch", "cases", List.of("ok: contains x", "bad: regex (unclosed"))
                .wire("in.value -> route.in")))
                .singleElement().satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(ProblemKind.INVALID_SETTING);
                    assertThat(p.nodeId()).isEqualTo("route");
                    assertThat(p.subject()).isEqualTo("cases");
                    assertThat(p.message()).startsWith("setting 'cases' case 2 ('bad: regex (unclosed'): the regex "
                            + "'(unclosed' does not compile: Unclosed group");
                });
    }

    @Test
    void aPickPointerThatIsMalformed() {
        assertThat(problems(TestGraphs.flow("f").node("in", "flow.input", "dataType", "json")
                .node("pick", "json.pick", "pointer", "answer/0").wire("in.value -> pick.json")))
                .singleElement().satisfies(p -> {
                    assertThat(p.nodeId()).isEqualTo("pick");
                    assertThat(p.subject()).isEqualTo("pointer");
                    assertThat(p.message()).contains("'answer/0' is not a JSON Pointer");
                });
    }

    @Test
    void aTemplateWithAnUnclosedPlaceholder() {
        assertThat(problems(TestGraphs.flow("f").node("t", "text.template", "template", "Hello {{name")))
                .singleElement().satisfies(p -> {
                    assertThat(p.nodeId()).isEqualTo("t");
                    assertThat(p.subject()).isEqualTo("template");
                    assertThat(p.message()).isEqualTo("setting 'template' has an unclosed '{{' at character 7: "
                            + "close it with '}}'");
                });
    }

    @Test
    void portsFollowSettingsInValidation() {
        TestGraphs flow = TestGraphs.flow("f").node("in", "flow.input")
                .node("t", "text.template", "template", "{{a}} and {{b}}").wire("in.value -> t.a").wire("in.value -> t.b");
        assertThat(problems(flow)).isEmpty();
        TestGraphs changed = TestGraphs.flow("f").node("in", "flow.input")
                .node("t", "text.template", "template", "{{a}} only").wire("in.value -> t.a").wire("in.value -> t.b");
        assertThat(problems(changed)).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.UNKNOWN_PORT);
            assertThat(p.message()).isEqualTo("Template has no input 'b' (inputs: [a])");
        });
    }
}
