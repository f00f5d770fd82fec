package dev.flowgraph.ui;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Automatic layout, alignment and wire routing, as a reader of the canvas would judge them. */
class AutoLayoutTest extends EditorFixture {

    @Test
    void autoLayoutLeavesNoCardsOverlappingAndNoWireThroughACardOnEveryExample() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.walk(TestModels.projectRoot().resolve("examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".flow.json") && !f.toString().contains("/target/"))
                    .sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThan(10);
        for (Path example : examples) {
            robot.interact(() -> window.open(example));
            FlowDocument before = flow();
            robot.interact(() -> window.arrange().autoLayout());
            WaitForAsyncUtils.waitForFxEvents();
            String name = example.getFileName().toString();
            assertThat(window.canvas().overlappingCards()).as(name + ": overlapping cards").isEmpty();
            assertThat(window.canvas().wiresThroughCards()).as(name + ": wires through cards").isEmpty();
            assertThat(flow().wires()).as(name + ": layout moves, never rewires").isEqualTo(before.wires());
            if (before.nodes().size() > 1) {
                robot.interact(() -> window.document().undo());
                assertThat(flow()).as(name + ": one undo restores it").isEqualTo(before);
            }
        }
    }

    @Test
    void theRouterApiFlowReadsLeftToRightWithItsAnswerWireRoutedBack() {
        robot.interact(() -> window.open(RunInspectorTest.ROUTER));
        robot.interact(() -> window.arrange().autoLayout());
        WaitForAsyncUtils.waitForFxEvents();
        double api = x("api");
        assertThat(x("initiator")).isLessThan(api);
        assertThat(x("route")).isGreaterThan(api);
        assertThat(x("question_llm")).isGreaterThan(x("route"));
        assertThat(x("merge")).as("the answer comes back from the far right").isGreaterThan(x("question_prefix"));
        assertThat(window.canvas().wiresThroughCards()).isEmpty();
    }

    @Test
    void alignAndDistributeMoveOnlyTheSelectedCards() {
        openExample(robot);
        List<String> ids = flow().nodes().stream().map(n -> n.id()).toList();
        robot.interact(() -> window.canvas().select(java.util.Set.copyOf(ids)));
        robot.interact(() -> window.arrange().align(false));
        double top = flow().nodes().get(0).position().y();
        assertThat(flow().nodes()).allMatch(n -> n.position().y() == top);
        robot.interact(() -> window.arrange().distribute(true));
        List<Position> xs = flow().nodes().stream().map(n -> n.position())
                .sorted(java.util.Comparator.comparingDouble(Position::x)).toList();
        double gap1 = xs.get(1).x() - xs.get(0).x();
        double gap2 = xs.get(2).x() - xs.get(1).x();
        assertThat(Math.abs(gap1 - gap2)).as("even spacing").isLessThanOrEqualTo(1);
        assertThat(window.canvas().overlappingCards()).isEmpty();
    }

    private double x(String id) {
        return flow().node(id).orElseThrow().position().x();
    }
}
