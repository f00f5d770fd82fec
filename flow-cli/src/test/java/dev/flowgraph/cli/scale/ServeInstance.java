package dev.flowgraph.cli.scale;

import dev.flowgraph.cli.FlowCommand;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.testing.TestModels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One headless {@code flow serve} process, as an operator starts it: its own JVM, a port, a key in the environment. */
final class ServeInstance implements AutoCloseable {
    static final String KEY = "ScaleKey42";

    private final Process process;
    private final Path stderr;
    private final int port;

    private ServeInstance(Process process, Path stderr, int port) {
        this.process = process;
        this.stderr = stderr;
        this.port = port;
    }

    /**
     * The example story flow on the test model, generating exactly {@code tokens} tokens per answer (no early end),
     * so streams last long enough to overlap.
     */
    static Path storyFlow(Path dir, int tokens, int concurrency, int parallel) throws Exception {
        Path file = dir.resolve("story-" + tokens + "-" + concurrency + "-" + parallel + ".flow.json");
        FlowDocument flow = FlowFiles.load(TestModels.projectRoot().resolve("examples/story-api.flow.json"))
                .withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "threads", 1)
                .withSetting("llm", "maxTokens", tokens)
                .withSetting("llm", "ignoreEos", true)
                .withSetting("llm", "contextSize", 2048 * parallel)
                .withSetting("api", "concurrency", concurrency);
        if (parallel > 1) {
            flow = flow.withSetting("llm", "parallel", parallel);
        }
        FlowFiles.save(flow, file);
        return file;
    }

    /**
     * The conversation-memory example on the test model, greedy (the same prompt gives the same answer), answering
     * {@code tokens} tokens at the most.
     */
    static Path memoryFlow(Path dir, int tokens, int concurrency) throws Exception {
        Path file = dir.resolve("memory-" + tokens + "-" + concurrency + ".flow.json");
        FlowDocument flow = FlowFiles.load(TestModels.projectRoot().resolve("examples/chat-memory-api.flow.json"))
                .withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "threads", 1)
                .withSetting("llm", "maxTokens", tokens)
                .withSetting("llm", "temperature", 0.0)
                .withSetting("api", "concurrency", concurrency);
        if (concurrency > 1) {
            flow = flow.withSetting("llm", "parallel", concurrency);
        }
        FlowFiles.save(flow, file);
        return file;
    }

    /**
     * The example story flow with its Local LLM swapped for the OpenAI-compatible node answering from {@code service}
     * (the swap the README promises needs nothing else changed): streams last exactly as long as the test holds them.
     */
    static Path gatedFlow(Path dir, GatedChatService service) throws Exception {
        Path file = dir.resolve("gated-" + service.baseUrl().hashCode() + ".flow.json");
        FlowDocument story = FlowFiles.load(TestModels.projectRoot().resolve("examples/story-api.flow.json"));
        List<NodeInstance> nodes = story.nodes().stream()
                .map(n -> !n.id().equals("llm") ? n : new NodeInstance("llm", "llm.openai", n.position(),
                        Map.of("baseUrl", service.baseUrl(), "model", "gated")))
                .toList();
        FlowFiles.save(new FlowDocument(story.format(), story.name(), story.description(), nodes, story.wires()), file);
        return file;
    }

    /** Starts {@code flow serve} and waits until it prints that it serves. */
    static ServeInstance start(Path flow, int port, String... extraArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(launcherOptions()); // as the flow launcher starts it
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FlowCommand.class.getName(),
                "serve", flow.toString(), "--port", String.valueOf(port), "--host", "127.0.0.1"));
        command.addAll(List.of(extraArgs));
        Path stderr = Files.createTempFile(flow.getParent(), "serve-" + port + "-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
        pb.environment().put("FLOW_API_KEY", KEY);
        Process process = pb.start();
        ServeInstance instance = new ServeInstance(process, stderr, port);
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String first = out.readLine();
                // Keep draining stdout so the process never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // nothing to keep
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return first;
            } catch (IOException e) {
                return null;
            }
        });
        String first = ready.get(60, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("Serving flow")) {
            instance.kill();
            throw new IllegalStateException("flow serve on port " + port + " did not start: " + instance.log());
        }
        return instance;
    }

    /** The JVM options the flow launcher gives {@code flow serve} (scripts/flow-jvm.options, flow-serve-jvm.options). */
    static List<String> launcherOptions() throws java.io.IOException {
        List<String> options = new java.util.ArrayList<>();
        for (String file : List.of("flow-jvm.options", "flow-serve-jvm.options")) {
            Files.readAllLines(TestModels.projectRoot().resolve("scripts").resolve(file)).stream()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(options::add);
        }
        return options;
    }

    /** The resident memory of the instance's process, in kB (Linux). */
    long rssKilobytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + process.pid());
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    String log() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM: the instance drains and exits. */
    void terminate() {
        process.toHandle().destroy(); // Process.destroy() would also close the pipes we drain
    }

    /** SIGKILL: the instance dies on the spot, as in a crash. */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
