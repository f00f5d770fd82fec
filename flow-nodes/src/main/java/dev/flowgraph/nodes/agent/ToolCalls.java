package dev.flowgraph.nodes.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.chat.ResponseFormat;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.core.value.Values;
import dev.flowgraph.nodes.remote.ToolChat;
import dev.flowgraph.nodes.structured.JsonAnswer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The tool calls of one agent step, run at the same time, each bounded by the tool timeout and cancelled with the run.
 * A call that cannot run (an unknown tool, arguments that are not JSON or do not match the tool's schema) or that
 * fails or times out gives the model its error as the result, or fails the run, as the agent's setting says. Each
 * call goes into the run's trace with its arguments, result size, time and error.
 */
final class ToolCalls {
    private final String nodeId;
    private final Map<String, Tool> tools;
    private final Duration timeout;
    private final boolean tellModel;
    private final ExecutorService workers;
    /** Each tool's compiled parameter schema. */
    private final Map<Tool, JsonAnswer> schemas = new java.util.concurrent.ConcurrentHashMap<>();

    /** A call's outcome, as the model is told it. */
    record Result(String callId, String content, boolean failed) {
    }

    /** A tool call failed and the agent is set to fail the run for it. */
    static final class ToolFailed extends Exception {
        ToolFailed(String message) {
            super(message);
        }
    }

    ToolCalls(String nodeId, Map<String, Tool> tools, Duration timeout, boolean tellModel, ExecutorService workers) {
        this.nodeId = nodeId;
        this.tools = tools;
        this.timeout = timeout;
        this.tellModel = tellModel;
        this.workers = workers;
    }

    List<Result> run(Run run, int step, List<ToolChat.ToolCall> calls) throws ToolFailed {
        if (calls.size() == 1) { // nothing to run beside it: no hand-off to another thread
            Result result = call(run, calls.get(0), "step " + step + " call 1");
            if (result.failed() && !tellModel) {
                throw new ToolFailed(result.content().replaceFirst("^Error: ", ""));
            }
            return List.of(result);
        }
        List<CompletableFuture<Result>> running = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            ToolChat.ToolCall call = calls.get(i);
            String traceKey = "step " + step + " call " + (i + 1);
            running.add(CompletableFuture.supplyAsync(() -> call(run, call, traceKey), workers));
        }
        List<Result> results = new ArrayList<>();
        for (CompletableFuture<Result> r : running) {
            Result result = r.join();
            if (result.failed() && !tellModel) {
                running.forEach(other -> other.cancel(true));
                throw new ToolFailed(result.content().replaceFirst("^Error: ", ""));
            }
            results.add(result);
        }
        return results;
    }

    private Result call(Run run, ToolChat.ToolCall call, String traceKey) {
        long started = System.nanoTime();
        String described = call.name() + "(" + abbreviate(call.arguments()) + ")";
        Tool tool = tools.get(call.name());
        String error = null;
        String content = null;
        if (tool == null) {
            error = "there is no tool '" + call.name() + "'; the tools are " + tools.keySet();
        } else {
            JsonNode arguments = null;
            try {
                arguments = Values.JSON.readTree(call.arguments().isBlank() ? "{}" : call.arguments());
            } catch (JsonProcessingException e) {
                error = "the arguments of '" + call.name() + "' are not JSON: " + e.getOriginalMessage();
            }
            if (error == null) {
                String mismatch = schemas.computeIfAbsent(tool, t -> JsonAnswer.of(ResponseFormat.jsonSchema(
                        t.parameters().toString()))).mismatch(arguments.toString());
                if (mismatch != null) {
                    error = "the arguments of '" + call.name() + "' do not match its schema at " + mismatch;
                }
            }
            if (error == null) {
                CompletableFuture<String> result = tool.call(arguments, run);
                run.onCancel(() -> result.cancel(true)); // a cancelled run stops waiting for its calls at once
                try {
                    content = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    result.cancel(true);
                    error = "the tool '" + call.name() + "' took longer than " + timeout.toSeconds() + " s";
                } catch (ExecutionException e) {
                    error = "the tool '" + call.name() + "' failed: " + (e.getCause().getMessage() != null
                            ? e.getCause().getMessage() : e.getCause().toString());
                } catch (java.util.concurrent.CancellationException e) {
                    error = "the tool call was cancelled: " + run.cancelReason();
                } catch (InterruptedException e) {
                    result.cancel(true);
                    Thread.currentThread().interrupt();
                    error = "the tool call was cancelled";
                }
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        run.trace().note(nodeId, traceKey, described + (error == null ? " → " + content.length() + " chars"
                : " → error: " + error) + " in " + millis + " ms");
        return error == null ? new Result(call.id(), content, false) : new Result(call.id(), "Error: " + error, true);
    }

    /** Arguments as the trace shows them: short. Secrets never travel in a tool's arguments: the model wrote them. */
    private static String abbreviate(String arguments) {
        return arguments.length() <= 200 ? arguments : arguments.substring(0, 200) + "…";
    }
}
