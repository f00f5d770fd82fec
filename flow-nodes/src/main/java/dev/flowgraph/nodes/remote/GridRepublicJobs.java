package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/** GridRepublic's remote jobs wire format: the submission body, and reading submissions and job states. */
final class GridRepublicJobs {
    private static final ObjectMapper JSON = new ObjectMapper();
    // The API documents "running"; these are the ends a job can come to. Anything else is still under way.
    private static final Set<String> SUCCEEDED = Set.of("completed", "complete", "done", "finished", "success",
            "succeeded");
    private static final Set<String> FAILED = Set.of("failed", "failure", "error", "errored", "cancelled",
            "canceled", "aborted", "killed", "timeout", "expired");

    /** Where a job stands: its status word and its whole log so far. */
    record JobState(String status, String log) {
        boolean succeeded() {
            return SUCCEEDED.contains(status.toLowerCase(Locale.ROOT));
        }

        boolean failed() {
            return FAILED.contains(status.toLowerCase(Locale.ROOT));
        }
    }

    private GridRepublicJobs() {
    }

    /** The job: the prompt goes JSON-encoded, as {@code {"inputs":[prompt]}}, inside the commandLine string. */
    static String submission(String app, String tag, String prompt) {
        ObjectNode commandLine = JSON.createObjectNode();
        commandLine.putArray("inputs").add(prompt);
        ObjectNode body = JSON.createObjectNode();
        body.put("app", app);
        body.put("commandLine", commandLine.toString());
        body.put("tag", tag);
        return body.toString();
    }

    /** The id of a submitted job, from {@code {"success":true,"ids":[...]}}. */
    static String jobId(String service, String json) throws RemoteCallException {
        JsonNode root = successful(service, json, "refused the job");
        JsonNode id = root.path("ids").path(0);
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new RemoteCallException(service + " took the job but sent no job id: " + ServiceErrors.abbreviate(json));
        }
        return id.asText();
    }

    /** The state of job {@code id} from {@code {"success":true,"jobs":{id:{"states":{"default":{...}}}}}}. */
    static JobState state(String service, String id, String json) throws RemoteCallException {
        JsonNode root = successful(service, json, "could not report on job " + id);
        JsonNode job = root.path("jobs").path(id);
        if (!job.isObject()) {
            throw new RemoteCallException(service + " sent no state for job " + id + ": " + ServiceErrors.abbreviate(json));
        }
        JsonNode states = job.path("states");
        JsonNode state = states.has("default") ? states.path("default") : first(states);
        String status = state.path("status").asText(job.path("vmStatus").asText(""));
        return new JobState(status, state.path("log").asText(""));
    }

    private static JsonNode first(JsonNode states) {
        Iterator<JsonNode> all = states.elements();
        return all.hasNext() ? all.next() : states;
    }

    private static JsonNode successful(String service, String json, String what) throws RemoteCallException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new RemoteCallException(service + " sent a body that is not JSON: " + ServiceErrors.abbreviate(json));
        }
        if (!root.path("success").asBoolean(false)) {
            String error = root.path("error").asText("");
            throw new RemoteCallException(service + " " + what + ": "
                    + (error.isEmpty() ? ServiceErrors.abbreviate(json) : error));
        }
        return root;
    }

    /**
     * The part of {@code log} past the first {@code sent} characters, which were streamed already. The log only
     * grows while a job runs; were it ever rewritten, text already streamed could not be taken back anyway.
     */
    static String newPart(int sent, String log) {
        return log.length() > sent ? log.substring(sent) : "";
    }
}
