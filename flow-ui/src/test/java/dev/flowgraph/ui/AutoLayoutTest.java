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

    @Test
    void theMinimapShowsTheFlowAndMovesTheViewWhereItIsClicked() {
        robot.interact(() -> window.open(RunInspectorTest.ROUTER));
        robot.interact(() -> window.canvas().zoomBy(2.5));
        WaitForAsyncUtils.waitForFxEvents();
        var minimap = window.canvas().minimap();
        assertThat(minimap.isVisible()).isTrue();
        // Click the miniature where the Merge card is: the view centres on it.
        var merge = card("merge");
        javafx.geometry.Bounds box = merge.localToParent(merge.getLayoutBounds());
        javafx.geometry.Point2D target = new javafx.geometry.Point2D(box.getCenterX(), box.getCenterY());
        javafx.geometry.Point2D onMap = null;
        for (double x = 0; x < minimap.getWidth() && onMap == null; x += 1) {
            for (double y = 0; y < minimap.getHeight() && onMap == null; y += 1) {
                if (minimap.toWorld(x, y).distance(target) < 15) {
                    onMap = new javafx.geometry.Point2D(x, y);
                }
            }
        }
        assertThat(onMap).as("the Merge card is in the miniature").isNotNull();
        assertThat(window.canvas().viewport().contains(target)).as("zoomed in, Merge is out of view").isFalse();
        robot.clickOn(minimap.localToScreen(onMap), javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.geometry.Bounds view = window.canvas().viewport();
        assertThat(view.contains(target)).isTrue();
        assertThat(new javafx.geometry.Point2D(view.getCenterX(), view.getCenterY()).distance(target)).isLessThan(25);
        assertThat(window.canvas().selection()).as("a click on the map selects nothing").isEmpty();

        shortcut(robot, javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.M);
        assertThat(minimap.isVisible()).isFalse();
    }

    private double x(String id) {
        return flow().node(id).orElseThrow().position().x();
    }
}
