package dev.flowgraph.api.jobs;

import dev.flowgraph.api.http.ApiErrors;
import dev.flowgraph.api.sse.JsonText;
import dev.flowgraph.core.store.Jobs;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * GridRepublic's {@code GET /remotejobs/v2/jobs/{ids}} (comma-separated) and {@code DELETE /remotejobs/v2/jobs/{id}}.
 * GET answers the spec's {@code jobs} map: {@code vmStatus}, {@code states.default} ({@code status}, {@code log} as it
 * grows, {@code outputFiles}, {@code commandLine}, {@code app}), {@code created}, {@code copy}, {@code tag},
 * {@code runtime} (seconds); DELETE cancels a queued or running job. Either instance sharing the store answers for
 * any job. Runs on a blocking worker.
 */
public final class JobRoute implements HttpHandler {
    public static final String PATH = "/remotejobs/v2/jobs/";
    static final int MAX_IDS = 100;
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private final Jobs jobs;
    private final String flow;

    public JobRoute(Jobs jobs, String flow) {
        this.jobs = jobs;
        this.flow = flow;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String tail = exchange.getRelativePath().startsWith("/") ? exchange.getRelativePath().substring(1)
                : exchange.getRelativePath();
        List<String> ids = Arrays.stream(tail.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            ApiErrors.send(exchange, 400, ApiErrors.INVALID_REQUEST, "give 1 to " + MAX_IDS + " job ids, "
                    + "comma-separated, after " + PATH);
            return;
        }
        if (exchange.getRequestMethod().equals(Methods.DELETE)) {
            cancel(exchange, ids);
        } else {
            status(exchange, ids);
        }
    }

    private void status(HttpServerExchange exchange, List<String> ids) {
        List<Jobs.Job> found = jobs.find(flow, ids);
        if (found.size() < ids.size()) {
            List<String> known = found.stream().map(Jobs.Job::id).toList();
            ApiErrors.send(exchange, 404, ApiErrors.NOT_FOUND, "no job " + ids.stream().filter(id -> !known.contains(id))
                    .toList());
            return;
        }
        long now = System.currentTimeMillis();
        StringBuilder b = new StringBuilder(256 * found.size()).append("{\"success\":true,\"jobs\":{");
        for (int i = 0; i < found.size(); i++) {
            Jobs.Job job = found.get(i);
            JsonText.quote(b.append(i == 0 ? "" : ","), job.id()).append(":{\"vmStatus\":\"")
                    .append(job.status().wireName()).append("\",\"states\":{\"default\":{\"status\":\"")
                    .append(job.status().wireName()).append("\",\"outputFiles\":[],\"log\":");
            JsonText.quote(b, job.log()).append(",\"commandLine\":");
            JsonText.quote(b, job.commandLine()).append(",\"app\":");
            JsonText.quote(b, job.app()).append("}},\"created\":\"")
                    .append(CREATED.format(Instant.ofEpochMilli(job.createdMillis()))).append("\",\"copy\":0,\"tag\":");
            JsonText.quote(b, job.tag()).append(",\"runtime\":").append(runtimeSeconds(job, now));
            if (job.error() != null) {
                JsonText.quote(b.append(",\"error\":"), job.error());
            }
            b.append('}');
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(b.append("}}").toString());
    }

    private static long runtimeSeconds(Jobs.Job job, long now) {
        if (job.startedMillis() == 0) {
            return 0;
        }
        long end = job.status().isFinal() && job.endedMillis() > 0 ? job.endedMillis() : now;
        return Math.max(0, end - job.startedMillis()) / 1000;
    }

    private void cancel(HttpServerExchange exchange, List<String> ids) {
        if (ids.size() != 1) {
            ApiErrors.send(exchange, 400, ApiErrors.INVALID_REQUEST, "cancel one job at a time");
            return;
        }
        String id = ids.get(0);
        if (!jobs.cancel(flow, id)) {
            List<Jobs.Job> found = jobs.find(flow, ids);
            if (found.isEmpty()) {
                ApiErrors.send(exchange, 404, ApiErrors.NOT_FOUND, "no job [" + id + "]");
            } else {
                ApiErrors.send(exchange, 409, ApiErrors.INVALID_REQUEST, "job " + id + " has ended already ("
                        + found.get(0).status().wireName() + ")");
            }
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send("{\"success\":true}");
    }
}
