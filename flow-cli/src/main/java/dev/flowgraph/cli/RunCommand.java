package dev.flowgraph.cli;

import dev.flowgraph.api.ApiElement;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.nodes.subflow.FlowInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

@Command(name = "run", description = {
        "Runs a flow once, in-process (no socket).",
        "A flow with an API element: sends --prompt through it and prints the answer as it streams.",
        "A flow with Flow input nodes (a sub-flow on its own): gives each input its --input NAME=VALUE (a single "
                + "input takes --prompt too) and prints each Flow output as it streams.",
        "A flow without either (an ingestion): runs the work its nodes start (a document loader wired to the "
                + "Initiator), shows its progress, and exits when it is done."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The flow file (*.flow.json).")
    Path file;

    @Option(names = {"-p", "--prompt"}, description = "The user message (for a flow with an API element).")
    String prompt;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "For a flow without an API "
            + "element (an ingestion): give up when its runs have made no progress for this long, naming the node where "
            + "they stopped (default ${DEFAULT-VALUE}; 0 waits for ever).")
    int timeoutSeconds;

    @Option(names = "--system", description = "A system message sent before the prompt.")
    String system;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=VALUE",
            description = "The value of a Flow input (repeat for several).")
    java.util.Map<String, String> inputs = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        FlowDocument flow = FlowFileArgument.load(spec, file);
        if (flow.nodesOfType(ApiElement.TYPE).isEmpty()) {
            List<NodeInstance> flowInputs = flow.nodesOfType(FlowInput.TYPE);
            if (!flowInputs.isEmpty()) {
                if (prompt != null && flowInputs.size() == 1) {
                    inputs.putIfAbsent(String.valueOf(flowInputs.get(0).settings().getOrDefault("name", "input")),
                            prompt);
                }
                return new FlowInputsRun(flow, file).call(inputs);
            }
            return new JobRun(flow, FlowFileArgument.directoryOf(file), java.time.Duration.ofSeconds(timeoutSeconds)).call();
        }
        if (prompt == null) {
            System.err.println("flow run: the flow has an API element: give the prompt to send with --prompt");
            return 2;
        }
        // No socket is opened, so the API key is never checked: a throwaway one spares setting the variable.
        for (NodeInstance api : flow.nodesOfType(ApiElement.TYPE)) {
            flow = flow.withSetting(api.id(), "apiKey", throwawayKey());
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.inProcess(FlowFileArgument.directoryOf(file)))) {
            CompletableFuture<Packet> ending = new CompletableFuture<>();
            long start = System.nanoTime();
            runtime.entry().submit(new ChatRequest(messages), packet -> {
                if (packet instanceof Packet.Delta delta) {
                    out.print((String) delta.value());
                    out.flush();
                } else {
                    ending.complete(packet);
                }
            });
            Packet end = ending.get();
            out.println();
            out.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (end instanceof Packet.Failure failure) {
                System.err.println("flow run: failed at node '" + failure.nodeId() + "': " + failure.message());
                return 1;
            }
            Packet.End done = (Packet.End) end;
            System.err.printf("[%d prompt + %d completion tokens, %s, %.0f ms, %.0f tokens/s]%n",
                    done.usage().promptTokens(), done.usage().completionTokens(), done.finishReason(),
                    seconds * 1000, done.usage().completionTokens() / seconds);
            return 0;
        } catch (FlowStartException e) {
            System.err.println("flow run: " + e.getMessage());
            return 1;
        }
    }

    private static String throwawayKey() {
        return Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    }
}
