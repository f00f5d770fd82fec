package dev.flowgraph.core.run;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.testing.TestFlows;
import dev.flowgraph.core.testing.TestNodes;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowRuntimeTest {
    private final NodeRegistry registry = TestNodes.registry();
    private final RuntimeOptions options = RuntimeOptions.inProcess(Path.of("."));

    private static List<Packet> collect(FlowEntry entry, String text) throws Exception {
        List<Packet> packets = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        entry.submit(ChatRequest.ofUser(text), p -> {
            packets.add(p);
            if (p.isTerminal()) {
                done.complete(null);
            }
        });
        done.get(10, TimeUnit.SECONDS);
        return packets;
    }

    @Test
    void aStreamComesBackInOrderAndEndsOnce() throws Exception {
        try (FlowRuntime runtime = FlowRuntime.start(TestFlows.loop(0), registry, options)) {
            String text = String.join(" ", java.util.stream.IntStream.range(0, 500).mapToObj(i -> "w" + i).toList());
            List<Packet> packets = collect(runtime.entry(), text);
            assertThat(packets.subList(0, 500)).allMatch(p -> p instanceof Packet.Delta);
            assertThat(packets.subList(0, 500)).extracting(p -> ((Packet.Delta) p).value())
                    .containsExactlyElementsOf(List.of(text.split(" ")));
            assertThat(packets.get(500)).isInstanceOfSatisfying(Packet.End.class,
                    e -> assertThat(e.usage().completionTokens()).isEqualTo(500));
            assertThat(packets).hasSize(501);
        }
    }

    @Test
    void concurrentRunsKeepTheirOwnPackets() throws Exception {
        try (FlowRuntime runtime = FlowRuntime.start(TestFlows.loop(0), registry, options)) {
            List<CompletableFuture<List<Packet>>> runs = java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        try {
                            return collect(runtime.entry(), ("r" + i + " ").repeat(50).trim());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })).toList();
            for (int i = 0; i < runs.size(); i++) {
                List<Packet> packets = runs.get(i).get(10, TimeUnit.SECONDS);
                String expected = "r" + i;
                assertThat(packets.subList(0, 50)).extracting(p -> ((Packet.Delta) p).value()).containsOnly(expected);
            }
        }
    }

    @Test
    void aFailingNodeFailsOnlyItsRunAndTheFlowGoesOn() throws Exception {
        try (FlowRuntime runtime = FlowRuntime.start(TestFlows.loop(0), registry, options)) {
            List<Packet> failed = collect(runtime.entry(), "fail");
            assertThat(failed).singleElement().isInstanceOfSatisfying(Packet.Failure.class, f -> {
                assertThat(f.nodeId()).isEqualTo("faulty");
                assertThat(f.message()).isEqualTo("asked to fail");
                assertThat(f.run().trace().node("faulty").orElseThrow().error()).isEqualTo("asked to fail");
            });
            assertThat(collect(runtime.entry(), "still here")).hasSize(3);
        }
    }

    @Test
    void activityListenersSeeEachNodeStartAndEndAndTheFailingNodesError() throws Exception {
        try (FlowRuntime runtime = FlowRuntime.start(TestFlows.loop(0), registry, options)) {
            List<String> events = new CopyOnWriteArrayList<>();
            runtime.onNodeActivity(new NodeActivityListener() {
                @Override
                public void started(Run run, String nodeId) {
                    events.add("start " + nodeId);
                }

                @Override
                public void ended(Run run, String nodeId, String error) {
                    events.add("end " + nodeId + (error == null ? "" : ": " + error));
                }
            });
            collect(runtime.entry(), "two words");
            await(() -> events.contains("end words"));
            assertThat(events).contains("start faulty", "end faulty", "start words", "end words");
            assertThat(events.indexOf("start words")).isLessThan(events.indexOf("end words"));

            events.clear();
            collect(runtime.entry(), "fail");
            await(() -> events.contains("end faulty: asked to fail"));
            assertThat(events).noneMatch(e -> e.startsWith("end words:"));
        }
    }

    @Test
    void aWireTapSeesEveryPacketOfARequestInOrderAndNothingOfTheFlowsOwnRun() throws Exception {
        try (FlowRuntime runtime = FlowRuntime.start(TestFlows.loop(0), registry, options)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            runtime.tapWires((node, port, packet) -> seen.add(node + "." + port + " "
                    + (packet instanceof Packet.Delta d ? (d.value() instanceof String s ? s : "chat")
                    : packet instanceof Packet.End ? "end" : "other")));
            List<Packet> answer = collect(runtime.entry(), "two words");
            await(() -> seen.contains("words.text end"));
            assertThat(seen).doesNotContain("alive.signal end").noneMatch(s -> s.startsWith("alive."));
            assertThat(seen.stream().filter(s -> s.startsWith("words.text ")).toList())
                    .as("each token the client got, then the end, in order")
                    .hasSize(answer.size())
                    .last().isEqualTo("words.text end");
            assertThat(seen).contains("entry.out chat", "faulty.chat chat");

            runtime.tapWires(null);
            seen.clear();
            collect(runtime.entry(), "again");
            assertThat(seen).isEmpty();
        }
    }

    @Test
    void cancellingARunStopsItsWork() throws Exception {
        try (FlowRuntime runtime = FlowRuntime.start(TestFlows.loop(20), registry, options)) {
            // Listen before submitting: a run that finished before the listener was in place would never be seen.
            CompletableFuture<Run> finished = new CompletableFuture<>();
            runtime.onRunFinished(finished::complete);
            LinkedBlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
            Run run = runtime.entry().submit(ChatRequest.ofUser("a ".repeat(200).trim()), packets::offer);
            assertThat(packets.poll(5, TimeUnit.SECONDS)).isInstanceOf(Packet.Delta.class);
            run.cancel("test");
            // The words node sees the cancellation between words and ends: far fewer than 200 words went out.
            Run ended = finished.get(5, TimeUnit.SECONDS);
            assertThat(ended).isSameAs(run);
            assertThat(run.isCancelled()).isTrue();
            assertThat(packets.size()).isLessThan(20);
        }
    }

    @Test
    void traceRecordsEveryNodeOfARun() throws Exception {
        try (FlowRuntime runtime = FlowRuntime.start(TestFlows.loop(0), registry, options)) {
            List<Packet> packets = collect(runtime.entry(), "one two three");
            RunTrace trace = packets.get(0).run().trace();
            assertThat(trace.nodes()).extracting(NodeTrace::nodeId).contains("faulty", "words", "entry");
            NodeTrace words = trace.node("words").orElseThrow();
            assertThat(words.tokensOut()).isEqualTo(3);
            assertThat(words.endNanos()).isGreaterThanOrEqualTo(words.startNanos());
            assertThat(words.error()).isNull();
        }
    }

    @Test
    void deadlineCancelsARun() {
        Run run = new Run(7, TimeUnit.MILLISECONDS.toNanos(1));
        await(() -> run.isCancelled());
        assertThat(run.cancelReason()).isEqualTo("deadline passed");
    }

    @Test
    void anInvalidFlowDoesNotStartAndSaysWhy() {
        assertThatThrownBy(() -> FlowRuntime.start(TestFlows.loop(0).withSetting("entry", "label", "BAD"), registry, options))
                .isInstanceOf(FlowStartException.class)
                .hasMessageContaining("label")
                .satisfies(e -> assertThat(((FlowStartException) e).problems()).hasSize(1));
    }

    @Test
    void environmentReferencesResolveWhenTheFlowStarts() throws Exception {
        var flow = TestFlows.loop(0).withSetting("entry", "label", "${env:ENTRY_LABEL}");
        assertThatThrownBy(() -> FlowRuntime.start(flow, registry, options.withEnvironment(Map.<String, String>of()::get)))
                .isInstanceOf(FlowStartException.class)
                .hasMessageContaining("ENTRY_LABEL is not set");
        assertThatThrownBy(() -> FlowRuntime.start(flow, registry, options.withEnvironment(Map.of("ENTRY_LABEL", "NOPE1")::get)))
                .isInstanceOf(FlowStartException.class)
                .hasMessageContaining("must match");
        try (FlowRuntime runtime = FlowRuntime.start(flow, registry, options.withEnvironment(Map.of("ENTRY_LABEL", "fine")::get))) {
            assertThat(collect(runtime.entry(), "ok")).hasSize(2);
        }
    }

    @Test
    void afterCloseTheEntryRefusesRequests() throws Exception {
        FlowRuntime runtime = FlowRuntime.start(TestFlows.loop(0), registry, options);
        FlowEntry entry = runtime.entry();
        runtime.close();
        assertThatThrownBy(() -> entry.submit(ChatRequest.ofUser("late"), p -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    /** Polls every millisecond (a busy wait would take the core the runtime's threads need on a loaded machine). */
    private static void await(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in 10 s");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
