package dev.flowgraph.ui;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.ui.palette.QuickAdd;
import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Adding a node by typing at the pointer, and by dropping a wire on empty canvas. */
class QuickAddTest extends EditorFixture {

    @Test
    void doubleClickOnEmptyCanvasThenTypingAddsTheNodeThere() {
        openExample(robot);
        FlowDocument before = flow();
        Point2D spot = emptySpot();
        robot.doubleClickOn(spot, MouseButton.PRIMARY);
        assertThat(quickAdd().isVisible()).isTrue();
        robot.write("templ");
        assertThat(quickAdd().shownTypes()).first().extracting(NodeDescriptor::name).isEqualTo("Template");
        robot.push(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(flow().nodes()).hasSize(before.nodes().size() + 1);
        NodeInstance added = flow().nodes().get(flow().nodes().size() - 1);
        assertThat(added.type()).isEqualTo("text.template");
        assertThat(window.canvas().selection()).containsExactly(added.id());
        assertThat(robot.lookup("#quick-add").tryQuery()).as("the box is gone").isEmpty();
        assertThat(card(added.id()).localToScreen(0, 0).distance(spot)).as("the card is where the click was")
                .isLessThan(30);
        robot.interact(() -> window.document().undo());
        assertThat(flow()).isEqualTo(before);

        // Escape closes it and changes nothing.
        robot.moveTo(spot);
        shortcut(robot, KeyCode.CONTROL, KeyCode.K);
        assertThat(quickAdd().isVisible()).isTrue();
        robot.push(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#quick-add").tryQuery()).isEmpty();
        assertThat(flow()).isEqualTo(before);
    }

    @Test
    void aWireDroppedOnEmptyCanvasOffersOnlyTypesThatTakeItAndComesWired() {
        openExample(robot);
        Point2D spot = emptySpot();
        robot.drag(port(robot, "llm", "text", true), MouseButton.PRIMARY).moveTo(spot).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        QuickAdd box = quickAdd();
        assertThat(box.shownTypes()).isNotEmpty().allSatisfy(d -> assertThat(d.ports(Map.of(), window.canvas().scope())
                .inputs()).anyMatch(p -> p.type().accepts(DataType.TEXT)));
        assertThat(box.shownTypes()).noneMatch(d -> d.id().equals("initiator"));
        robot.write("template").push(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();

        NodeInstance added = flow().nodes().get(flow().nodes().size() - 1);
        assertThat(added.type()).isEqualTo("text.template");
        assertThat(flow().wires()).anyMatch(w -> w.from().toString().equals("llm.text") && w.to().node().equals(added.id()));
        assertThat(flow().wires()).as("the wire it already had stays").contains(Wire.of("llm.text", "api.response"));
        robot.interact(() -> window.document().undo());
        assertThat(flow().nodes()).noneMatch(n -> n.id().equals(added.id()));
        assertThat(flow().wires()).noneMatch(w -> w.to().node().equals(added.id()));
    }

    private QuickAdd quickAdd() {
        return robot.lookup("#quick-add").queryAs(QuickAdd.class);
    }

    /** A point on the canvas with no card near it. */
    private Point2D emptySpot() {
        for (double fy = 0.9; fy > 0.1; fy -= 0.1) {
            for (double fx = 0.2; fx < 0.9; fx += 0.1) {
                Point2D p = canvasPoint(fx, fy);
                boolean free = flow().nodes().stream().map(n -> card(n.id()))
                        .noneMatch(c -> c.localToScreen(c.getBoundsInLocal()).intersects(p.getX() - 60, p.getY() - 60, 300, 180));
                if (free) {
                    return p;
                }
            }
        }
        throw new AssertionError("no empty spot on the canvas");
    }
}
