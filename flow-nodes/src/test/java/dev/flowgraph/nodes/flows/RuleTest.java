package dev.flowgraph.nodes.flows;

import dev.flowgraph.core.value.Values;
import dev.flowgraph.nodes.route.Rule;
import org.junit.jupiter.api.Test;

import static dev.flowgraph.nodes.route.Rule.Verdict.FALSE;
import static dev.flowgraph.nodes.route.Rule.Verdict.TRUE;
import static dev.flowgraph.nodes.route.Rule.Verdict.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Switch's rules, and which of them decide on the first pieces of a stream. */
class RuleTest {

    @Test
    void rulesOnTheStartOfATextDecideEarly() {
        Rule starts = Rule.parse("starts with Once upon", false);
        assertThat(starts.decide("On", false)).isEqualTo(UNKNOWN);
        assertThat(starts.decide("Once upon a", false)).isEqualTo(TRUE);
        assertThat(starts.decide("One day", false)).isEqualTo(FALSE);
        assertThat(Rule.parse("contains cat", false).decide("the cat", false)).isEqualTo(TRUE);
        assertThat(Rule.parse("contains cat", false).decide("the ca", false)).isEqualTo(UNKNOWN);
        assertThat(Rule.parse("ends with ?", false).decide("why?", false)).as("may go on").isEqualTo(UNKNOWN);
        assertThat(Rule.parse("ends with ?", false).decide("why?", true)).isEqualTo(TRUE);
    }

    @Test
    void everyKindOfRule() {
        assertThat(Rule.parse("equals Yes", true).test("yes")).isTrue();
        assertThat(Rule.parse("regex ^\\d+$", false).test("123")).isTrue();
        assertThat(Rule.parse("length > 3", false).test("abcd")).isTrue();
        assertThat(Rule.parse("number <= 2.5", false).test("2")).isTrue();
        assertThat(Rule.parse("number <= 2.5", false).test("not a number")).isFalse();
        assertThat(Rule.parse("json /a/0 equals \"x\"", false).test(Values.parse("{\"a\": [\"x\"]}"))).isTrue();
        assertThat(Rule.parse("json /a/0 equals x", false).test("{\"a\": [\"x\"]}")).as("text is parsed").isTrue();
        assertThat(Rule.parse("json /b exists", false).test("{\"a\": 1}")).isFalse();
        assertThat(Rule.parse("json /score > 0.5", false).test("{\"score\": 0.7}")).isTrue();
        assertThat(Rule.parse("always", false).test("")).isTrue();
    }

    @Test
    void aRuleThatDoesNotReadSaysWhatIsWrong() {
        assertThatThrownBy(() -> Rule.parse("sounds like cat", false)).hasMessageStartingWith("'sounds like cat' is not a rule");
        assertThatThrownBy(() -> Rule.parse("length about 3", false)).hasMessageContaining("needs a comparison");
        assertThatThrownBy(() -> Rule.parse("json a/b exists", false)).hasMessageContaining("is not a JSON Pointer");
    }
}
