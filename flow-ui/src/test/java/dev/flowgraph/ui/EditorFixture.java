package dev.flowgraph.ui;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.testing.TestModels;
import dev.flowgraph.ui.canvas.NodeCard;
import dev.flowgraph.ui.files.FileDialogs;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.prefs.Preferences;

/**
 * Starts a real editor window (headless under Monocle) for each test, with answers to its file dialogs, and gives
 * the tests mouse-level helpers: drag from the palette, drag between ports, click a card.
 */
abstract class EditorFixture {
    static final Path EXAMPLE = TestModels.projectRoot().resolve("examples/story-api.flow.json");
    static final Map<String, String> ENV = Map.of("FLOW_API_KEY", "TestKey42");

    EditorWindow window;
    Path saveTarget;
    Path openTarget;
    FileDialogs dialogs;
    FileDialogs.UnsavedChoice unsavedAnswer = FileDialogs.UnsavedChoice.DISCARD;
    final AtomicInteger unsavedQuestions = new AtomicInteger();
    final Preferences preferences = Preferences.userRoot().node("dev/flowgraph/editor-test");

    final FxRobot robot = new FxRobot();

    @BeforeEach
    void startEditor() throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        dialogs = new FileDialogs() {
            @Override
            public Optional<Path> chooseOpen(Window owner, Path directory) {
                return Optional.ofNullable(openTarget);
            }

            @Override
            public Optional<Path> chooseSave(Window owner, Path directory, String suggestedName) {
                return Optional.ofNullable(saveTarget);
            }

            @Override
            public UnsavedChoice askUnsaved(Window owner, String flowName) {
                unsavedQuestions.incrementAndGet();
                return unsavedAnswer;
            }
        };
        FxToolkit.setupFixture(() -> {
            window = new EditorWindow(stage, new EditorOptions(NodeRegistry.discover(), environment()::get, dialogs, preferences));
            stage.setX(0);
            stage.setY(0);
            stage.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void closeEditor() throws Exception {
        robot.interact(() -> Screenshots.save(window.stage().getScene(),
                Path.of("target/screens/" + getClass().getSimpleName() + ".png")));
        unsavedAnswer = FileDialogs.UnsavedChoice.DISCARD;
        FxToolkit.setupFixture(() -> {
            window.closeDown();
            window.stage().hide();
        });
        preferences.removeNode();
    }

    /** The environment the editor sees (for {@code ${env:NAME}} settings and FLOW_STORE). */
    Map<String, String> environment() {
        return ENV;
    }

    FlowDocument flow() {
        return window.document().flow();
    }

    void openExample(FxRobot robot) {
        robot.interact(() -> window.open(EXAMPLE));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** A point on the canvas, given as fractions of its width and height, in screen coordinates. */
    Point2D canvasPoint(double fx, double fy) {
        var b = window.canvas().localToScreen(window.canvas().getLayoutBounds());
        return new Point2D(b.getMinX() + b.getWidth() * fx, b.getMinY() + b.getHeight() * fy);
    }

    void dragFromPalette(FxRobot robot, String typeId, Point2D to) {
        Node item = robot.lookup("#" + dev.flowgraph.ui.palette.Palette.cellId(typeId)).query();
        robot.drag(item, MouseButton.PRIMARY).moveTo(to).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
    }

    void dragPort(FxRobot robot, String fromNode, String fromPort, String toNode, String toPort) {
        robot.drag(port(robot, fromNode, fromPort, true), MouseButton.PRIMARY)
                .moveTo(port(robot, toNode, toPort, false)).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
    }

    Node port(FxRobot robot, String node, String port, boolean output) {
        return robot.lookup("#" + NodeCard.portId(node, port, output)).query();
    }

    /**
     * Clicks a field of the property sheet, first scrolling the sheet so the field is in view (set directly:
     * Monocle's headless robot has no mouse wheel).
     */
    org.testfx.api.FxRobotInterface clickSetting(String fieldId) {
        Node field = robot.lookup("#" + fieldId).query();
        javafx.scene.control.ScrollPane sheet = robot.lookup("#properties").query();
        robot.interact(() -> {
            double contentHeight = sheet.getContent().getLayoutBounds().getHeight();
            double viewport = sheet.getViewportBounds().getHeight();
            double y = sheet.getContent().sceneToLocal(field.localToScene(0, 0)).getY();
            if (contentHeight > viewport) {
                sheet.setVvalue(Math.max(0, Math.min(1, (y - 60) / (contentHeight - viewport))));
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        return robot.clickOn(field);
    }

    NodeCard card(String nodeId) {
        return window.canvas().card(nodeId).orElseThrow(() -> new AssertionError("no card for node " + nodeId));
    }

    /** Clicks a card on its title area (not on a port). */
    void clickCard(FxRobot robot, String nodeId, KeyCode... modifiers) {
        NodeCard card = card(nodeId);
        Point2D p = card.localToScreen(card.getWidth() / 2, 14);
        robot.press(modifiers).clickOn(p, MouseButton.PRIMARY).release(modifiers);
        WaitForAsyncUtils.waitForFxEvents();
    }

    void shortcut(FxRobot robot, KeyCode... keys) {
        robot.push(keys);
        WaitForAsyncUtils.waitForFxEvents();
    }

    static void waitUntil(Callable<Boolean> condition, int seconds, String what) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("waited " + seconds + " s for: " + what);
        }
    }
}
