package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LocalLab's model management on a served flow with the real model: the GGUF files beside the model, the one
 * loaded, a live swap to a renamed copy while a client keeps generating (no request fails), a file llama.cpp cannot
 * load (the old model keeps serving), unload (503 model_unloaded) and load again, and {@code /system/info}.
 */
class LocalLabModelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void modelsAreListedSwappedWhileServingUnloadedAndLoadedAgain() throws Exception {
        byte[] model = Files.readAllBytes(TestModels.stories());
        try (StoryServer server = serverWithModelFiles()) {
            JsonNode available = get(server, "/models/available");
            assertThat(available.path("models").findValuesAsText("model_id"))
                    .containsExactly("broken.gguf", "stories-copy.gguf", "stories260K.gguf");
            JsonNode copy = available.path("models").get(1);
            assertThat(copy.path("size").asLong()).isEqualTo(model.length);
            assertThat(copy.path("architecture").asText()).isEqualTo("llama");
            assertThat(copy.path("context_length").asLong()).isPositive();
            assertThat(copy.path("node").asText()).isEqualTo("llm");

            JsonNode current = get(server, "/models/current");
            assertThat(current.path("model_id").asText()).isEqualTo("stories260K.gguf");
            assertThat(current.path("status").asText()).isEqualTo("loaded");

            // A client keeps generating while the model is swapped: every one of its requests is answered.
            server.finishedRuns.clear();
            AtomicBoolean stop = new AtomicBoolean();
            List<Integer> statuses = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    try {
                        statuses.add(post(server, "/generate", "{\"prompt\":\"Once upon a time,\"}").statusCode());
                    } catch (Exception e) {
                        statuses.add(-1);
                    }
                }
            });
            Thread.sleep(200);
            HttpResponse<String> swapped = post(server, "/models/load", "{\"model_id\":\"stories-copy.gguf\"}");
            Thread.sleep(200);
            stop.set(true);
            traffic.get();
            assertThat(swapped.statusCode()).as(swapped.body()).isEqualTo(200);
            assertThat(JSON.readTree(swapped.body()).path("model").path("model_id").asText()).isEqualTo("stories-copy.gguf");
            assertThat(statuses).as("requests before, during and after the swap").hasSizeGreaterThan(4).containsOnly(200);
            assertThat(get(server, "/models/current").path("model_id").asText()).isEqualTo("stories-copy.gguf");
            // Each answer came from the model it should: the first file until the swap, the copy after it.
            for (int i = 0; i < 100 && server.finishedRuns.size() < statuses.size(); i++) {
                Thread.sleep(10); // the last run is reported finished just after its answer
            }
            List<String> models = new java.util.ArrayList<>();
            server.finishedRuns.forEach(run -> models.add(run.trace().node("llm").orElseThrow().notes().get("model")));
            assertThat(models).hasSize(statuses.size()).startsWith("stories260K.gguf").endsWith("stories-copy.gguf");
            int switched = models.indexOf("stories-copy.gguf");
            assertThat(models.subList(switched, models.size())).as("never back to the old model: %s", models)
                    .containsOnly("stories-copy.gguf");

            HttpResponse<String> broken = post(server, "/models/load", "{\"model_id\":\"broken.gguf\"}");
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(broken.body()).path("detail").asText()).contains("could not load broken.gguf");
            assertThat(get(server, "/models/current").path("model_id").asText()).as("the old model serves on")
                    .isEqualTo("stories-copy.gguf");
            assertThat(post(server, "/generate", "{\"prompt\":\"Hello\"}").statusCode()).isEqualTo(200);

            assertThat(post(server, "/models/unload", "").statusCode()).isEqualTo(200);
            assertThat(get(server, "/models/current").path("status").asText()).isEqualTo("unloaded");
            HttpResponse<String> refused = post(server, "/generate", "{\"prompt\":\"Hello\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(refused.body()).path("detail").asText()).contains("unloaded");
            HttpResponse<String> prompt = Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("Hi")).build());
            assertThat(prompt.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(prompt.body()).path("error").path("type").asText()).isEqualTo("model_unloaded");

            assertThat(post(server, "/models/load", "{\"model_id\":\"stories260K.gguf\"}").statusCode()).isEqualTo(200);
            assertThat(post(server, "/generate", "{\"prompt\":\"Hello\"}").statusCode()).isEqualTo(200);

            JsonNode info = get(server, "/system/info");
            assertThat(info.path("cpu").path("cores").asInt()).isPositive();
            assertThat(info.path("memory").path("total_bytes").asLong()).isPositive();
            assertThat(info.path("memory").path("process_resident_bytes").asLong()).isPositive();
            assertThat(info.path("models").get(0).path("model").path("model_id").asText()).isEqualTo("stories260K.gguf");
            assertThat(info.path("uptime_seconds").isIntegralNumber()).isTrue();
            assertThat(info.path("version").asText()).isNotBlank();

            assertBad(post(server, "/models/load", "{}"), "'model_id' is required");
            assertBad(post(server, "/models/load", "{\"model_id\":\"nope.gguf\"}"), "no model file 'nope.gguf'");
            assertBad(post(server, "/models/load", "{\"model_id\":\"other:x.gguf\"}"), "no model node 'other'");
            assertBad(post(server, "/models/unload", "[1]"), "JSON object");
        }
    }

    @Test
    void aPythonClientWrittenFromTheSpecManagesTheModels() throws Exception {
        try (StoryServer server = serverWithModelFiles()) {
            String script = TestModels.projectRoot().resolve("flow-api-node/src/test/resources/locallab_models.py")
                    .toString();
            Processes.Result run = Processes.run(List.of(Processes.pythonWithRequests(), script, server.url,
                    StoryServer.KEY, "stories-copy.gguf", "broken.gguf"));
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            JsonNode out = JSON.readTree(run.stdout());
            assertThat(out.path("available").path("body").path("models").findValuesAsText("model_id"))
                    .contains("stories260K.gguf", "stories-copy.gguf");
            assertThat(out.path("current").path("body").path("model_id").asText()).isEqualTo("stories260K.gguf");
            assertThat(out.path("load").path("status").asInt()).isEqualTo(200);
            assertThat(out.path("traffic")).as("no request failed during the swap")
                    .allMatch(s -> s.asInt() == 200).hasSizeGreaterThanOrEqualTo(6);
            assertThat(out.path("after_load").path("body").path("model_id").asText()).isEqualTo("stories-copy.gguf");
            assertThat(out.path("broken").path("status").asInt()).isEqualTo(400);
            assertThat(out.path("broken").path("body").path("detail").asText()).contains("broken.gguf");
            assertThat(out.path("after_broken").path("body").path("model_id").asText()).isEqualTo("stories-copy.gguf");
            assertThat(out.path("unload").path("status").asInt()).isEqualTo(200);
            assertThat(out.path("while_unloaded").path("status").asInt()).isEqualTo(503);
            assertThat(out.path("while_unloaded").path("body").path("detail").asText()).contains("unloaded");
            assertThat(out.path("reload").path("status").asInt()).isEqualTo(200);
            assertThat(out.path("after_reload").path("status").asInt()).isEqualTo(200);
            assertThat(out.path("system").path("body").path("cpu").path("cores").asInt()).isPositive();
            assertThat(out.path("missing").path("status").asInt()).isEqualTo(400);
            assertThat(out.path("missing").path("body").path("detail").asText()).contains("model_id");
        }
    }

    /**
     * The example flow on the test model in a folder of its own, beside a renamed copy and a file whose header reads
     * but whose weights are cut off (llama.cpp refuses it).
     */
    private StoryServer serverWithModelFiles() throws Exception {
        byte[] model = Files.readAllBytes(TestModels.stories());
        Files.write(dir.resolve("stories260K.gguf"), model);
        Files.write(dir.resolve("stories-copy.gguf"), model);
        Files.write(dir.resolve("broken.gguf"), java.util.Arrays.copyOf(model, model.length / 2));
        return StoryServer.start(Map.of("llm.modelPath", dir.resolve("stories260K.gguf").toString(),
                "llm.maxTokens", 16));
    }

    private static void assertBad(HttpResponse<String> answer, String says) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("detail").asText()).contains(says);
    }

    private static JsonNode get(StoryServer server, String path) throws Exception {
        HttpResponse<String> answer = Http.send(HttpRequest.newBuilder(URI.create(server.url + path))
                .header("X-API-Key", StoryServer.KEY).build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static HttpResponse<String> post(StoryServer server, String path, String json) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(server.url + path)).header("X-API-Key", StoryServer.KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
