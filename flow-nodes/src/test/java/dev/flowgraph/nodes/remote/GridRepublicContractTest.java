package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.flowgraph.nodes.remote.LoopbackService.json;
import static dev.flowgraph.nodes.remote.RemoteFlows.ask;
import static dev.flowgraph.nodes.remote.RemoteFlows.end;
import static dev.flowgraph.nodes.remote.RemoteFlows.failure;
import static dev.flowgraph.nodes.remote.RemoteFlows.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GridRepublic node against a loopback server speaking the remote jobs API: submission with the prompt
 * JSON-encoded in commandLine, {@code success:false}, and a job whose log grows from poll to poll.
 */
class GridRepublicContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB = "a9ab011455bb6aeb0161b5fc08766b42";

    private final LoopbackService service = new LoopbackService();
    private final List<Long> pollTimes = new CopyOnWriteArrayList<>();

    GridRepublicContractTest() throws IOException {
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private FlowRuntime flow(Map<String, Object> settings) throws Exception {
        Map<String, Object> s = new HashMap<>(Map.of("baseUrl", service.url("/remotejobs/v2"), "apiKey", "GridToken5",
                "pollIntervalMillis", 50));
        s.putAll(settings);
        return RemoteFlows.start(new GridRepublic(), s);
    }

    /** The documented job status body. */
    private static String job(String status, String log) {
        return "{\"success\":true,\"jobs\":{\"" + JOB + "\":{\"vmStatus\":\"" + status + "\",\"states\":{\"default\":{"
                + "\"status\":\"" + status + "\",\"outputFiles\":[],\"log\":" + JSON.valueToTree(log) + ","
                + "\"commandLine\":\"{\\\"inputs\\\":[\\\"How can 1+1=10?\\\"]}\",\"app\":\"gridrepublic:text-inference\"}},"
                + "\"created\":\"2024-05-06T21:26:00+00:00\",\"copy\":0,\"tag\":\"gemma:2b\",\"runtime\":23}}}";
    }

    /** Takes the job, then answers each poll with the next of {@code polls} (the last one again after that). */
    private void serveJob(String... polls) {
        AtomicInteger poll = new AtomicInteger();
        service.serve("/remotejobs/v2/jobs", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                json(exchange, 200, "{\"success\":true,\"ids\":[\"" + JOB + "\"]}");
                return;
            }
            pollTimes.add(System.nanoTime());
            json(exchange, 200, polls[Math.min(poll.getAndIncrement(), polls.length - 1)]);
        });
    }

    @Test
    void submitsTheDocumentedJobAndStreamsOnlyTheNewPartOfTheLogEachPoll() throws Exception {
        serveJob(job("running", ""), job("running", "1+1=2."), job("running", "1+1=2."),
                job("running", "1+1=2. When you add numbers,"), job("completed", "1+1=2. When you add numbers, the result"));
        String prompt = "When does \"1+1\" = 10?";
        try (FlowRuntime runtime = flow(Map.of())) {
            List<Packet> packets = ask(runtime, prompt);
            List<Object> deltas = new ArrayList<>();
            packets.stream().filter(p -> p instanceof Packet.Delta).forEach(p -> deltas.add(((Packet.Delta) p).value()));
            assertThat(deltas).containsExactly("1+1=2.", " When you add numbers,", " the result");
            assertThat(text(packets)).isEqualTo("1+1=2. When you add numbers, the result");
            assertThat(end(packets).finishReason()).isEqualTo(Packet.End.STOP);
        }
        LoopbackService.Received submit = service.received().get(0);
        assertThat(submit.method()).isEqualTo("POST");
        assertThat(submit.path()).isEqualTo("/remotejobs/v2/jobs");
        assertThat(submit.authorization()).isEqualTo("Bearer GridToken5");
        assertThat(submit.body().path("app").asText()).isEqualTo("gridrepublic:text-inference");
        assertThat(submit.body().path("tag").asText()).isEqualTo("gemma:2b");
        assertThat(submit.body().path("commandLine").isTextual()).as("commandLine is a JSON string").isTrue();
        JsonNode commandLine = JSON.readTree(submit.body().path("commandLine").asText());
        assertThat(commandLine.path("inputs").size()).isEqualTo(1);
        assertThat(commandLine.path("inputs").path(0).asText()).isEqualTo(prompt);

        List<LoopbackService.Received> polls = service.received().subList(1, service.received().size());
        assertThat(polls).hasSize(5).allSatisfy(p -> {
            assertThat(p.method()).isEqualTo("GET");
            assertThat(p.path()).isEqualTo("/remotejobs/v2/jobs/" + JOB);
            assertThat(p.authorization()).isEqualTo("Bearer GridToken5");
        });
    }

    @Test
    void aRefusedSubmissionFailsTheRunWithTheServicesError() throws Exception {
        service.serve("/remotejobs/v2/jobs", exchange -> json(exchange, 200,
                "{\"success\":false,\"error\":\"Invalid input format\"}"));
        try (FlowRuntime runtime = flow(Map.of())) {
            Packet.Failure failure = failure(ask(runtime, "hi"));
            assertThat(failure.message()).contains("GridRepublic at " + service.url("/remotejobs/v2"))
                    .contains("refused the job").contains("Invalid input format").doesNotContain("GridToken5");
        }
        assertThat(service.received()).hasSize(1);
    }

    @Test
    void httpErrorsAndFailedJobsFailTheRun() throws Exception {
        AtomicInteger mode = new AtomicInteger();
        service.serve("/remotejobs/v2/jobs", exchange -> {
            if (mode.get() == 0) {
                json(exchange, 401, "{\"success\":false,\"error\":\"Invalid token\"}");
            } else if (exchange.getRequestMethod().equals("POST")) {
                json(exchange, 200, "{\"success\":true,\"ids\":[\"" + JOB + "\"]}");
            } else if (mode.get() == 1) {
                json(exchange, 200, job("failed", "Loading model... out of memory"));
            } else if (mode.get() == 2) {
                json(exchange, 200, "{\"success\":false,\"error\":\"Unknown job\"}");
            } else {
                json(exchange, 200, "{\"success\":true,\"jobs\":{}}");
            }
        });
        try (FlowRuntime runtime = flow(Map.of())) {
            assertThat(failure(ask(runtime, "hi")).message()).contains("HTTP 401").contains("Invalid token");
            mode.set(1);
            List<Packet> failedJob = ask(runtime, "hi");
            assertThat(text(failedJob)).isEqualTo("Loading model... out of memory");
            assertThat(failure(failedJob).message()).contains("job " + JOB + " ended 'failed'").contains("out of memory");
            mode.set(2);
            assertThat(failure(ask(runtime, "hi")).message()).contains("could not report on job").contains("Unknown job");
            mode.set(3);
            assertThat(failure(ask(runtime, "hi")).message()).contains("sent no state for job " + JOB);
        }
    }

    @Test
    void pollsBackOffWhileTheLogStandsStillAndGiveUpAtTheJobTimeout() throws Exception {
        serveJob(job("running", "Thinking"));
        try (FlowRuntime runtime = flow(Map.of("maxPollIntervalSeconds", 1, "jobTimeoutSeconds", 2))) {
            List<Packet> packets = ask(runtime, "hi");
            assertThat(text(packets)).isEqualTo("Thinking");
            assertThat(failure(packets).message()).contains("still 'running' after 2 s");
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < pollTimes.size(); i++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(pollTimes.get(i) - pollTimes.get(i - 1)));
        }
        // Planned waits 50, 100, 200, 400, 800, then 1000 ms: a handful of polls in 2 s, not forty. A busy machine
        // only lengthens waits (a sleep never ends early), so the checks are a count ceiling, a floor on the last
        // wait, and the order of first and last wait, none of which a slow scheduler can break.
        assertThat(pollTimes).hasSizeBetween(3, 9);
        assertThat(gaps.get(gaps.size() - 1)).isGreaterThanOrEqualTo(400);
        assertThat(gaps.get(0)).as("it starts polling fast and slows down").isLessThan(gaps.get(gaps.size() - 1));
    }

    @Test
    void cancellingTheRunStopsThePolling() throws Exception {
        serveJob(job("running", "Once upon a time"));
        try (FlowRuntime runtime = flow(Map.of("maxPollIntervalSeconds", 1))) {
            RemoteFlows.Answer answer = RemoteFlows.submit(runtime, ChatRequest.ofUser("story"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pollTimes.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(pollTimes).hasSizeGreaterThanOrEqualTo(3);
            answer.run().cancel("client went away");
            assertThat(end(answer.await()).finishReason()).isEqualTo(Packet.End.CANCELLED);
            int pollsAtCancel = pollTimes.size();
            Thread.sleep(1500); // longer than the longest wait between polls
            assertThat(pollTimes).hasSize(pollsAtCancel);
            assertThat(text(answer.packets())).isEqualTo("Once upon a time");
        }
    }
}
