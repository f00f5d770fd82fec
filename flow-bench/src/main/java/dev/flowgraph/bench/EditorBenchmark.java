package dev.flowgraph.bench;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.ui.EditorOptions;
import dev.flowgraph.ui.EditorWindow;
import dev.flowgraph.ui.canvas.NodeCard;
import dev.flowgraph.ui.files.FileDialogs;
import dev.flowgraph.ui.inspect.InspectedRun;
import dev.flowgraph.ui.inspect.PortLog;
import dev.flowgraph.core.run.NodeTrace;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.event.Event;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.PickResult;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.prefs.Preferences;

/**
 * The editor with a big flow: a generated 1,000-node, 1,400-wire flow is opened and rendered, a node is dragged
 * across it, the whole flow is laid out automatically, and the inspector opens one node's record of a 3,000-token
 * run. Renders headless in software (Monocle), so a frame here is an upper bound of a GPU frame.
 * Usage: scripts/bench-editor.sh [rounds] [dragFrames] [nodes]
 */
public final class EditorBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int nodeCount = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int wireCount = nodeCount * 7 / 5;
        headless();
        Path file = Files.createTempFile("big-", ".flow.json");
        FlowFiles.save(bigFlow(nodeCount, wireCount), file);
        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get();
        Platform.setImplicitExit(false); // closing a round's window must not end the toolkit
        NodeRegistry registry = NodeRegistry.discover();

        List<Double> openMillis = new ArrayList<>();
        List<Double> frameMillis = new ArrayList<>();
        List<Double> handlerMillis = new ArrayList<>();
        List<Double> layoutMillis = new ArrayList<>();
        List<Double> buildMillis = new ArrayList<>();
        List<Double> inspectorMillis = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            EditorWindow window = onFx(() -> {
                Stage stage = new Stage();
                EditorWindow w = new EditorWindow(stage, options(registry));
                stage.show();
                return w;
            });
            long t0 = System.nanoTime();
            onFx(() -> window.open(file));
            double built = (System.nanoTime() - t0) / 1e6;
            afterFrames(2); // the first pulse lays out and renders; the second starts once that render is done
            openMillis.add((System.nanoTime() - t0) / 1e6);
            buildMillis.add(built);
            drag(window, frames, frameMillis, handlerMillis);
            inspectorMillis.add(inspect(window));
            long l0 = System.nanoTime();
            onFx(() -> {
                window.arrange().autoLayout();
                return null;
            });
            afterFrames(2);
            layoutMillis.add((System.nanoTime() - l0) / 1e6);
            onFx(() -> {
                window.closeDown();
                window.stage().close();
                return null;
            });
        }
        System.out.printf("flow: %d nodes, %d wires; %d rounds, %d drag frames each (Monocle, software render)%n",
                nodeCount, wireCount, rounds, frames);
        System.out.printf("open + first render: median %.0f ms (min %.0f, max %.0f)%n", median(openMillis),
                min(openMillis), max(openMillis));
        System.out.printf("  of which reading the file and building the scene: median %.0f ms%n", median(buildMillis));
        System.out.printf("drag, frame to frame (event + CSS/layout + render): median %.1f ms, p90 %.1f ms%n",
                median(frameMillis), percentile(frameMillis, 0.9));
        System.out.printf("drag, event handling only: median %.2f ms%n", median(handlerMillis));
        System.out.printf("auto layout + render: median %.0f ms (min %.0f, max %.0f)%n", median(layoutMillis),
                min(layoutMillis), max(layoutMillis));
        System.out.printf("inspector opens a node's record of a 3,000-token run (built, styled, laid out): median %.1f ms (max %.1f)%n",
                median(inspectorMillis), max(inspectorMillis));
        Files.deleteIfExists(file);
        Platform.exit();
        System.exit(0);
    }

    /**
     * Presses on a card's title, moves it one step per frame, releases: the editor's own gesture code runs. With
     * pulses at full speed, the time from one frame to the next is what a frame costs (event, CSS, layout, render).
     */
    private static void drag(EditorWindow window, int frames, List<Double> frameMillis, List<Double> handlerMillis)
            throws Exception {
        NodeCard card = onFx(() -> window.canvas().card("n250").orElseThrow());
        Point2D start = onFx(() -> card.localToScene(card.getWidth() / 2, 12));
        onFx(() -> fire(card, MouseEvent.MOUSE_PRESSED, start));
        afterFrames(2);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> new AnimationTimer() {
            private int frame;
            private long last;

            @Override
            public void handle(long now) {
                long t = System.nanoTime();
                if (last != 0) {
                    frameMillis.add((t - last) / 1e6);
                }
                last = t;
                if (++frame > frames) {
                    stop();
                    done.complete(null);
                    return;
                }
                fire(card, MouseEvent.MOUSE_DRAGGED, start.add(frame * 2.0, frame * 1.0));
                handlerMillis.add((System.nanoTime() - t) / 1e6);
            }
        }.start());
        done.get();
        onFx(() -> fire(card, MouseEvent.MOUSE_RELEASED, start.add(frames * 2.0, frames)));
    }

    /**
     * Shows a run whose model node streamed 3,000 tokens, then shows that node in the open Inspector tab (as selecting
     * it does, without the property sheet's part): the time until the panel is built, styled and laid out.
     */
    private static double inspect(EditorWindow window) throws Exception {
        List<PortLog.Piece> tokens = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            tokens.add(new PortLog.Piece(i * 1_000_000L, i % 12 == 11 ? ".\n" : " word" + i));
        }
        FlowDocument flow = onFx(() -> window.document().flow());
        InspectedRun run = new InspectedRun("run-bench", System.currentTimeMillis(), flow, "n0",
                List.of(new NodeTrace("n2", 0, 3_000_000_000L, 20, 3000, null, Map.of())),
                Map.of(new PortRef("n2", "text"), new PortLog(tokens, "end · stop", true, 3001),
                        new PortRef("n1", "chat"), new PortLog(List.of(new PortLog.Piece(0,
                                dev.flowgraph.core.chat.ChatRequest.ofUser("Tell me a long story"))), "end · stop", true, 2)),
                null, null, null, true);
        onFx(() -> {
            window.showRun(run);
            ((javafx.scene.control.TabPane) window.stage().getScene().lookup("#bottom-tabs")).getSelectionModel()
                    .select(2);
            window.canvas().select(java.util.Set.of());
            return null;
        });
        afterFrames(2);
        // Built, styled and laid out, ready to draw: what the inspector costs. Drawing the frame is measured apart
        // above (a frame of the whole window with a thousand cards in view).
        double millis = onFx(() -> {
            long t0 = System.nanoTime();
            window.inspector().showNode("n2");
            window.inspector().applyCss();
            window.inspector().layout();
            return (System.nanoTime() - t0) / 1e6;
        });
        String shown = onFx(() -> ((dev.flowgraph.ui.inspect.LongTextView) window.stage().getScene()
                .lookup("#inspector-text-out-text")).getText());
        if (!shown.endsWith("word2998.\n")) {
            throw new IllegalStateException("the inspector did not show the whole stream");
        }
        return millis;
    }

    /** Waits until {@code n} more pulses have begun. */
    private static void afterFrames(int n) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> new AnimationTimer() {
            private int seen;

            @Override
            public void handle(long now) {
                if (++seen >= n) {
                    stop();
                    done.complete(null);
                }
            }
        }.start());
        done.get();
    }

    private static Void fire(NodeCard card, javafx.event.EventType<MouseEvent> type, Point2D scene) {
        Event.fireEvent(card, new MouseEvent(type, scene.getX(), scene.getY(), scene.getX(), scene.getY(),
                MouseButton.PRIMARY, 1, false, false, false, false, true, false, false, true, false, false,
                new PickResult(card, scene.getX(), scene.getY())));
        return null;
    }

    /** Rows of API element → prompt → model chains, plus extra wires fanning into inputs, laid out on a grid. */
    static FlowDocument bigFlow(int nodeCount, int wireCount) {
        String[] types = {"api.element", "prompt.chat", "llm.local", "prompt.chat", "llm.local"};
        List<NodeInstance> nodes = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            Position p = new Position(40 + (i % 25) * 280.0, 40 + (i / 25) * 170.0);
            nodes.add(new NodeInstance("n" + i, types[i % types.length], p, Map.of()));
        }
        List<Wire> wires = new ArrayList<>();
        for (int i = 0; i + 1 < nodeCount && wires.size() < wireCount; i++) {
            String from = types[i % types.length];
            String to = types[(i + 1) % types.length];
            String out = from.equals("llm.local") ? "text" : from.equals("api.element") ? "request" : "chat";
            String in = to.equals("api.element") ? "response" : "chat";
            wires.add(new Wire(new PortRef("n" + i, out), new PortRef("n" + (i + 1), in)));
        }
        for (int i = 0; wires.size() < wireCount; i += 5) {
            // The models' answers also go back to the API element two chains on.
            int model = (i + 2) % nodeCount;
            int api = (i + 10) % nodeCount;
            wires.add(new Wire(new PortRef("n" + model, "text"), new PortRef("n" + api, "response")));
        }
        return new FlowDocument(FlowDocument.FORMAT, "big", "generated for the editor benchmark", nodes, wires);
    }

    private static EditorOptions options(NodeRegistry registry) {
        FileDialogs none = new FileDialogs() {
            @Override
            public Optional<Path> chooseOpen(Window owner, Path directory) {
                return Optional.empty();
            }

            @Override
            public Optional<Path> chooseSave(Window owner, Path directory, String suggestedName) {
                return Optional.empty();
            }

            @Override
            public UnsavedChoice askUnsaved(Window owner, String flowName) {
                return UnsavedChoice.DISCARD;
            }
        };
        return new EditorOptions(registry, System::getenv, none, Preferences.userRoot().node("dev/flowgraph/bench"));
    }

    private static void headless() {
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("headless.geometry", "1600x1000-32");
        // Pulses as fast as the work allows (not capped at 60 Hz), so frame-to-frame time is the frame's cost.
        System.setProperty("javafx.animation.fullspeed", "true");
    }

    private static <T> T onFx(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get();
    }

    private static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    private static double percentile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
