package dev.flowgraph.examples;

import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/nginx/run-local.sh} as the README runs it: two {@code flow serve} instances and NGINX in front,
 * answered by curl through NGINX, and all of it stopped together by one SIGTERM (what Ctrl-C does to it too).
 * Runs after flow-cli is packaged, so the script's {@code ./flow} starts the built command line.
 */
class RunLocalScriptTest {
    private static final String KEY = "RunLocal77";

    @Test
    void twoInstancesBehindNginxAnswerCurlAndOneSigtermStopsThemAll(@TempDir Path dir) throws Exception {
        Path root = TestModels.projectRoot();
        Path flow = dir.resolve("story.flow.json");
        FlowFiles.save(FlowFiles.load(root.resolve("examples/story-api.flow.json"))
                .withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "threads", 1)
                .withSetting("llm", "maxTokens", 64), flow);
        int base = freeRun(2);
        int listen = freeRun(1);
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("examples/nginx/run-local.sh").toString(), "2",
                flow.toString()).redirectErrorStream(true);
        pb.environment().put("FLOW_API_KEY", KEY);
        pb.environment().put("BASE_PORT", String.valueOf(base));
        pb.environment().put("LISTEN_PORT", String.valueOf(listen));
        pb.environment().put("WORK_DIR", dir.resolve("work").toString());
        Process script = pb.start();
        List<String> output = new ArrayList<>();
        CompletableFuture<Boolean> serving = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("Serving 2 instances")) {
                        serving.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the script ended
            }
            serving.complete(false);
        });
        reader.start();
        try {
            assertThat(serving.get(180, TimeUnit.SECONDS)).as("script output: %s", output).isTrue();
            awaitListening(listen);

            // Two clients at once through NGINX, with curl as the README shows it.
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> curl(listen, "Once upon a time,"));
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> curl(listen, "Tom had a ball"));
            for (String answer : List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS))) {
                assertThat(answer).as(answer).contains("data: {\"choices\":").contains("\"finish_reason\":\"")
                        .endsWith("data: [DONE]\n\n");
            }

            // SIGTERM through the handle: Process.destroy() would also close our end of its output, and the script
            // would die of SIGPIPE on its first line instead of stopping what it started.
            script.toHandle().destroy();
            assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("script output: %s", output).isTrue();
            reader.join(10_000);
            assertThat(output).anyMatch(l -> l.contains("run-local: stopping"));
            // Everything it started is gone: NGINX and both instances no longer listen, and no flow serve of this
            // flow is left running.
            for (int port : new int[] {listen, base, base + 1}) {
                awaitClosed(port);
            }
            Process pgrep = new ProcessBuilder("pgrep", "-f", flow.toString()).start();
            String left = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(pgrep.waitFor()).as("processes left: %s", left).isEqualTo(1);
        } finally {
            script.destroyForcibly();
            new ProcessBuilder("pkill", "-9", "-f", flow.toString()).start().waitFor();
        }
    }

    private static String curl(int port, String text) {
        try {
            Process curl = new ProcessBuilder("curl", "-sS", "-N", "--max-time", "60",
                    "http://127.0.0.1:" + port + "/prompt", "--header", "Content-Type: application/json",
                    "--header", "X-API-Key: " + KEY,
                    "--data", "{\"message\": [{\"role\": \"user\", \"content\": \"" + text + "\"}]}")
                    .redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            curl.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!accepts(port)) {
            assertThat(System.nanoTime()).as("nothing listens on %d", port).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitClosed(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (accepts(port)) {
            assertThat(System.nanoTime()).as("port %d still listens", port).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The first of {@code count} consecutive loopback ports that are free now. */
    private static int freeRun(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 60_000 - count);
            boolean all = true;
            for (int p = first; p < first + count && all; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                    all = true;
                } catch (IOException e) {
                    all = false;
                }
            }
            if (all) {
                return first;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports");
    }
}
