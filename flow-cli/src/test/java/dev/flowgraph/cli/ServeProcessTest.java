package dev.flowgraph.cli;

import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** `flow serve` as its own process: prints the URL, answers curl, stops cleanly on a termination signal. */
class ServeProcessTest {

    private static Path storyFlow(Path dir) throws Exception {
        Path flow = dir.resolve("story.flow.json");
        FlowFiles.save(FlowFiles.load(TestModels.projectRoot().resolve("examples/story-api.flow.json"))
                .withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "maxTokens", 32), flow);
        return flow;
    }

    private static String curl(String url, String... headers) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sN", "-w", "\nHTTP %{http_code}", url,
                "-H", "Content-Type: application/json", "-d",
                "{\"message\":[{\"role\":\"user\",\"content\":\"Once upon a time,\"}]}"));
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        Process curl = new ProcessBuilder(command).start();
        String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).isZero();
        return answer;
    }

    @Test
    void apiKeyOptionReplacesTheFilesKeyAndDebugLogShowsRefusalsWithoutTheKey(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FlowCommand.class.getName(),
                "serve", storyFlow(dir).toString(), "--port", "0", "--host", "127.0.0.1", "--api-key", "CliKey9");
        pb.environment().remove("FLOW_API_KEY"); // the file's ${env:FLOW_API_KEY} is not needed with --api-key
        pb.environment().put("FLOW_LOG_LEVEL", "DEBUG");
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process serve = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as(Files.readString(dir.resolve("stderr.txt"))).startsWith("Serving flow 'story-api'");
            Matcher m = Pattern.compile("(http://\\S+/prompt)").matcher(first);
            assertThat(m.find()).isTrue();
            out.readLine();
            assertThat(out.readLine()).contains("X-API-Key: <your API key>").doesNotContain("CliKey9");

            assertThat(curl(m.group(1), "X-API-Key: CliKey9")).startsWith("data: {\"choices\":").endsWith("data: [DONE]\n\n\nHTTP 200");
            assertThat(curl(m.group(1), "X-API-Key: QWERTY123")).contains("authentication_error").endsWith("HTTP 401");
            assertThat(curl(m.group(1))).contains("authentication_error").endsWith("HTTP 401");

            serve.toHandle().destroy();
            assertThat(serve.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(dir.resolve("stderr.txt"));
            // FLOW_LOG_LEVEL=DEBUG shows Flowgraph's debug lines, such as a refused request; never the key.
            assertThat(log).containsPattern("DEBUG .* POST /prompt refused: no API key").doesNotContain("CliKey9");
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void serveAnswersCurlAndStopsCleanly(@TempDir Path dir) throws Exception {
        Path flow = storyFlow(dir);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FlowCommand.class.getName(),
                "serve", flow.toString(), "--port", "0", "--host", "127.0.0.1");
        pb.environment().put("FLOW_API_KEY", "ServeKey7");
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process serve = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as(Files.readString(dir.resolve("stderr.txt"))).startsWith("Serving flow 'story-api' at http://127.0.0.1:");
            Matcher m = Pattern.compile("(http://\\S+/prompt)").matcher(first);
            assertThat(m.find()).isTrue();
            assertThat(out.readLine()).isEqualTo("Try it:");
            assertThat(out.readLine()).contains("curl -N").contains("$FLOW_API_KEY").doesNotContain("ServeKey7");

            assertThat(curl(m.group(1), "X-API-Key: ServeKey7")).startsWith("data: {\"choices\":")
                    .endsWith("data: [DONE]\n\n\nHTTP 200");

            serve.toHandle().destroy(); // SIGTERM: nothing in flight, so it drains at once and stops the flow
            assertThat(serve.waitFor(10, TimeUnit.SECONDS)).as("exits after the signal").isTrue();
            assertThat(serve.exitValue()).isZero();
            List<String> log = Files.readAllLines(dir.resolve("stderr.txt"));
            assertThat(log).anyMatch(l -> l.contains("flow 'story-api' stopped"));
            assertThat(String.join("\n", log)).doesNotContain("ServeKey7");
        } finally {
            serve.destroyForcibly();
        }
    }
}
