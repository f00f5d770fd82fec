package dev.flowgraph.cli.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.cli.nginx.NginxConfig;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every piece of a story reaches Python clients through NGINX at the test model's full speed: our SSE reader
 * (examples/clients/stream_story.py) through both configs, and the API guide's own client, which parses each chunk on
 * its own, through the layer-4 config ({@code flow nginx --tcp}) that passes the instance's chunks through unchanged.
 */
class NginxTcpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "Once upon a time,";

    private record Result(int code, String out, String err) {
    }

    private static Result python(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err.get());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Our reader: the text and its summary. */
    private static JsonNode ourReader(String baseUrl) throws Exception {
        Result r = python(TestModels.projectRoot().resolve("examples/clients/stream_story.py").toString(), PROMPT,
                "--url", baseUrl + "/prompt", "--key", ServeInstance.KEY, "--summary");
        assertThat(r.code()).as(r.err()).isZero();
        return JSON.readTree(r.err().lines().reduce((a, b) -> b).orElseThrow());
    }

    private static Result specClient(Path dir, String baseUrl) throws Exception {
        Path client = dir.resolve("spec_client.py");
        try (InputStream in = NginxTcpTest.class.getResourceAsStream("/spec_client.py")) {
            Files.write(client, in.readAllBytes());
        }
        return python(client.toString(), baseUrl + "/prompt", ServeInstance.KEY, PROMPT);
    }

    @Test
    void everyPieceReachesTheClientsThroughBothConfigs(@TempDir Path dir) throws Exception {
        Path flow = ServeInstance.storyFlow(dir, 512, 1, 1);
        // Greedy decoding: the same prompt always gives the same story, so the texts can be compared whole.
        FlowFiles.save(FlowFiles.load(flow).withSetting("llm", "temperature", 0.0), flow);
        int base = Ports.freeRun(1);
        try (ServeInstance instance = ServeInstance.start(flow, base);
             Nginx http = Nginx.start(dir, new NginxConfig(1, base, "127.0.0.1", Ports.free(), 1, 1, false));
             Nginx tcp = Nginx.start(dir, new NginxConfig(1, base, "127.0.0.1", Ports.free(), 1, 1, true))) {
            JsonNode direct = ourReader(instance.url());
            String story = direct.get("text").asText();
            assertThat(direct.get("events").asInt()).isGreaterThan(300);
            assertThat(direct.get("json_errors").asInt()).isZero();

            for (Nginx proxy : List.of(http, tcp)) {
                JsonNode through = ourReader(proxy.url());
                assertThat(through.get("json_errors").asInt()).as(proxy.url()).isZero();
                assertThat(through.get("done").asBoolean()).isTrue();
                assertThat(through.get("text").asText()).as("our reader through " + proxy.url()).isEqualTo(story);
            }

            Result spec = specClient(dir, tcp.url());
            assertThat(spec.err()).as("the guide's client through --tcp").doesNotContain("Invalid JSON");
            assertThat(spec.out()).isEqualTo(story);
            Result specDirect = specClient(dir, instance.url());
            assertThat(specDirect.out()).isEqualTo(story);
        }
    }
}
