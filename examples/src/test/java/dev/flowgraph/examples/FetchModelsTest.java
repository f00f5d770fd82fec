package dev.flowgraph.examples;

import com.sun.net.httpserver.HttpServer;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** scripts/fetch-models.sh downloads the test model when no local copy is there, and keeps nothing it cannot verify. */
class FetchModelsTest {

    private record Result(int code, String output) {
    }

    /** Runs a copy of the script in a project folder of its own (no ../shared/models beside it). */
    private static Result fetch(Path dir, String url) throws Exception {
        Path root = dir.resolve("checkout");
        Files.createDirectories(root.resolve("scripts"));
        Path script = root.resolve("scripts/fetch-models.sh");
        Files.copy(TestModels.projectRoot().resolve("scripts/fetch-models.sh"), script,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("FLOWGRAPH_MODEL_URL", url);
        pb.environment().remove("FLOWGRAPH_SHARED_MODELS");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    @Test
    void downloadsTheModelAndChecksItsSha256(@TempDir Path dir) throws Exception {
        byte[] model = Files.readAllBytes(TestModels.stories());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good.gguf", e -> {
            e.sendResponseHeaders(200, model.length);
            e.getResponseBody().write(model);
            e.close();
        });
        server.createContext("/tampered.gguf", e -> {
            byte[] bad = model.clone();
            bad[bad.length / 2] ^= 1;
            e.sendResponseHeaders(200, bad.length);
            e.getResponseBody().write(bad);
            e.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            Result tampered = fetch(dir, base + "/tampered.gguf");
            assertThat(tampered.code()).isEqualTo(1);
            assertThat(tampered.output()).contains("does not have the expected SHA-256; removed it");
            try (var files = Files.list(dir.resolve("checkout/models"))) {
                assertThat(files).as("nothing unverified is left").isEmpty();
            }

            Result good = fetch(dir, base + "/good.gguf");
            assertThat(good.code()).as(good.output()).isZero();
            assertThat(good.output()).contains("downloaded stories260K.gguf into models/ (SHA-256 checked)");
            assertThat(Files.readAllBytes(dir.resolve("checkout/models/stories260K.gguf"))).isEqualTo(model);

            assertThat(fetch(dir, base + "/good.gguf").output()).contains("models/stories260K.gguf is in place");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutANetworkItSaysWhereToGetTheModel(@TempDir Path dir) throws Exception {
        Result r = fetch(dir, "http://127.0.0.1:9/nothing-listens-here.gguf");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.output()).contains("could not download from http://127.0.0.1:9/",
                "huggingface.co/ggml-org/models, file tinyllamas/stories260K.gguf");
    }
}
