package dev.flowgraph.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.http.BadRequest;
import dev.flowgraph.api.http.FullBody;
import dev.flowgraph.api.http.JsonBody;
import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.chat.ModelSlot;
import dev.flowgraph.core.store.Jobs;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.ArrayList;
import java.util.List;

/**
 * GridRepublic's {@code POST /remotejobs/v2/jobs}: {@code app} {@code gridrepublic:text-inference}, {@code commandLine}
 * (a JSON string with an {@code inputs} array) and {@code tag} (the model: the flow's name, or the file of one of its
 * local models). One job per input is queued in the store, answered {@code {"success":true,"ids":[...]}}; the jobs
 * run in the background (see {@link JobRunner}), whatever becomes of this connection. Runs on a worker once
 * {@link FullBody} has read the body.
 */
public final class JobsSubmitRoute implements HttpHandler {
    public static final String APP = "gridrepublic:text-inference";
    static final int MAX_INPUTS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiElementNode element;
    private final Jobs jobs;
    private final String flow;
    private final JobRunner runner;

    public JobsSubmitRoute(ApiElementNode element, Jobs jobs, String flow, JobRunner runner) {
        this.element = element;
        this.jobs = jobs;
        this.flow = flow;
        this.runner = runner;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            JsonNode root = JsonBody.object(FullBody.body(exchange), "with \"app\", \"commandLine\" and \"tag\"");
            String app = text(root, "app");
            if (!app.equals(APP)) {
                throw new BadRequest("app", "unknown app '" + app + "': this service runs '" + APP + "'");
            }
            String commandLine = text(root, "commandLine");
            List<String> inputs = inputs(commandLine);
            String tag = text(root, "tag");
            if (!serves(tag)) {
                throw new BadRequest("tag", "the tag '" + tag + "' names no model this flow serves; use '" + flow + "'");
            }
            List<String> ids = jobs.submit(flow, app, tag, commandLine, inputs);
            runner.wake();
            StringBuilder b = new StringBuilder(64 + 40 * ids.size()).append("{\"success\":true,\"ids\":[");
            for (int i = 0; i < ids.size(); i++) {
                JsonText.quote(b.append(i == 0 ? "" : ","), ids.get(i));
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(b.append("]}").toString());
        } catch (BadRequest e) {
            ApiErrors.send(exchange, e.status(), ApiErrors.INVALID_REQUEST, e.getMessage(), e.param(), e.code());
        }
    }

    private static String text(JsonNode root, String field) throws BadRequest {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new BadRequest(field, "'" + field + "' is required (a string)");
        }
        return v.textValue();
    }

    /** The prompts of a commandLine: {@code {"inputs": ["...", ...]}} written as a JSON string. */
    static List<String> inputs(String commandLine) throws BadRequest {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(commandLine);
        } catch (java.io.IOException e) {
            throw new BadRequest("commandLine", "Invalid input format: 'commandLine' must be a JSON string such as "
                    + "{\"inputs\": [\"a prompt\"]}");
        }
        JsonNode inputs = parsed == null ? null : parsed.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty() || inputs.size() > MAX_INPUTS) {
            throw new BadRequest("commandLine", "Invalid input format: 'commandLine' must hold \"inputs\", a list of "
                    + "1 to " + MAX_INPUTS + " prompts");
        }
        List<String> prompts = new ArrayList<>();
        for (JsonNode input : inputs) {
            if (!input.isTextual() || input.textValue().isBlank()) {
                throw new BadRequest("commandLine", "Invalid input format: every input must be a non-empty string");
            }
            prompts.add(input.textValue());
        }
        return prompts;
    }

    private boolean serves(String tag) {
        if (tag.equals(flow)) {
            return true;
        }
        for (ModelSlot slot : element.modelSlots()) {
            ModelSlot.ModelFile model = slot.current();
            if (model != null && (tag.equals(model.name()) || tag.equals(model.name().replaceFirst("\\.gguf$", "")))) {
                return true;
            }
        }
        return false;
    }
}
