package dev.flowgraph.nodes.llm;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import dev.flowgraph.core.chat.ChatInput;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.chat.GenerationOptions;
import dev.flowgraph.core.chat.ChatModel;
import dev.flowgraph.core.chat.ResponseFormat;
import dev.flowgraph.nodes.structured.GrammarSchema;
import dev.flowgraph.nodes.structured.JsonAnswer;
import dev.flowgraph.nodes.structured.StructuredSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running Local LLM: loads the model at start and generates off the mailbox, one answer at a time or, with
 * {@code parallel} above 1, that many together in llama.cpp's parallel sequences (each run its own sequence).
 */
final class LocalLlmNode implements NodeBehavior, dev.flowgraph.core.chat.TokenCounter, ChatModel,
        dev.flowgraph.core.chat.ModelSlot {
    private static final Logger log = LoggerFactory.getLogger(LocalLlmNode.class);

    private final NodeContext context;
    private final NodeSettings settings;
    private final Outlet out;
    /** The json output, when the node's own format is JSON; else null (a request's format has no port of its own). */
    private final Outlet jsonOut;
    private final ResponseFormat format;
    private final ChatInput chat;
    private final ExecutorService generator;
    private final Sampling sampling;
    /** The runs being generated, so that stopping the flow can end them. */
    private final Set<Run> generating = ConcurrentHashMap.newKeySet();
    private final int parallel;
    /** Guards the swap of the model (LocalLab's /models/load and /models/unload) against the runs using it. */
    private final Object swap = new Object();
    /** The model runs start with; null while unloaded. Written under {@link #swap}. */
    private volatile Held held;
    /** A new model is loading: runs that start meanwhile wait for it. Written under {@link #swap}. */
    private volatile boolean loading;

    /** A loaded model and the runs generating with it: one swapped out is closed when its last run ends. */
    private static final class Held {
        final LocalModel local;
        final Path file;
        int users;
        boolean retired;

        Held(LocalModel local, Path file) {
            this.local = local;
            this.file = file;
        }
    }

    LocalLlmNode(NodeContext context) {
        this.context = context;
        this.settings = context.settings();
        this.out = context.output("text");
        this.format = StructuredSettings.format(settings);
        this.jsonOut = format.isJson() ? context.output(StructuredSettings.JSON_OUT.name()) : null;
        this.sampling = Sampling.from(settings);
        this.parallel = settings.integer("parallel");
        AtomicInteger threadCount = new AtomicInteger();
        this.generator = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "llm-" + context.nodeId() + "-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.chat = new ChatInput(out, (run, request) -> generator.execute(() -> generate(run, request)));
    }

    @Override
    public void start() throws Exception {
        Path file = settings.path("modelPath");
        held = new Held(open(file, settings.pathCandidates("modelPath")), file);
    }

    private LocalModel open(Path file, List<Path> candidates) throws Exception {
        return LocalModel.open(context.nodeId(), file, candidates, settings.integer("contextSize"), parallel,
                settings.integerOrAuto("threads"), settings.string("chatTemplate"));
    }

    /** The prompt text a request becomes; for tests and diagnostics. */
    String render(ChatRequest request) {
        return held.local.render(request);
    }

    int threads() {
        return held.local.threads();
    }

    /** With the loaded model's own tokenizer (a Conversation memory's token budget counts so). */
    @Override
    public int countTokens(String text) {
        Held now = held;
        return now == null ? -1 : now.local.model().encode(text).length;
    }

    @Override
    public boolean isLoading() {
        return loading;
    }

    @Override
    public boolean isLoaded() {
        return held != null;
    }

    @Override
    public ModelFile current() {
        Held now = held;
        return now == null ? null : describe(now.file);
    }

    @Override
    public List<ModelFile> available() {
        Held now = held;
        Path folder = (now != null ? now.file : settings.path("modelPath")).toAbsolutePath().getParent();
        try (var files = java.nio.file.Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".gguf"))
                    .sorted().map(LocalLlmNode::describe).filter(java.util.Objects::nonNull).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static ModelFile describe(Path file) {
        try {
            return GgufMetadata.describe(file);
        } catch (java.io.IOException e) {
            return null; // not a model llama.cpp could load: not offered
        }
    }

    @Override
    public ModelFile load(String name) {
        ModelFile file = available().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model file '" + name + "' beside the loaded one; "
                        + "the files are " + available().stream().map(ModelFile::name).toList()));
        synchronized (swap) {
            while (loading) {
                awaitSwap();
            }
            loading = true;
        }
        try {
            LocalModel opened = open(file.path(), List.of(file.path()));
            synchronized (swap) {
                Held before = held;
                held = new Held(opened, file.path());
                if (before != null) {
                    retire(before);
                }
            }
            log.info("node '{}': now serves {}", context.nodeId(), file.name());
            return file;
        } catch (Exception e) {
            throw new IllegalArgumentException("llama.cpp could not load " + file.name() + ": "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        } finally {
            synchronized (swap) {
                loading = false;
                swap.notifyAll();
            }
        }
    }

    @Override
    public void unload() {
        synchronized (swap) {
            Held before = held;
            held = null;
            if (before != null) {
                retire(before);
                log.info("node '{}': unloaded {}", context.nodeId(), before.file.getFileName());
            }
        }
    }

    /** The model a run starts with (waiting while a new one loads), counted as used; null while unloaded. */
    private Held acquire() {
        synchronized (swap) {
            while (loading) {
                awaitSwap();
            }
            Held now = held;
            if (now != null) {
                now.users++;
            }
            return now;
        }
    }

    private void release(Held used) {
        synchronized (swap) {
            if (--used.users == 0 && used.retired) {
                used.local.close();
            }
        }
    }

    /** Called holding {@link #swap}: the model closes now, or when its last run ends. */
    private static void retire(Held old) {
        old.retired = true;
        if (old.users == 0) {
            old.local.close();
        }
    }

    private void awaitSwap() {
        try {
            swap.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a model loaded", e);
        }
    }

    @Override
    public String modelNodeId() {
        return context.nodeId();
    }

    /** Every format whose schema is usable: through a grammar made from the schema. */
    @Override
    public String refuses(ResponseFormat asked) {
        if (asked.kind() != ResponseFormat.Kind.JSON_SCHEMA) {
            return null;
        }
        String problem = JsonAnswer.problem(asked.schema());
        return problem != null ? problem : GrammarSchema.problem(asked.schema());
    }

    @Override
    public void receive(String inputPort, Packet packet) {
        chat.receive(packet);
    }

    private void generate(Run run, ChatRequest request) {
        if (run.isCancelled()) {
            out.emit(new Packet.End(run, Usage.NONE, Packet.End.CANCELLED));
            return;
        }
        Held using = acquire();
        if (using == null) {
            String message = "the model is unloaded (POST /models/load loads one)";
            run.trace().error(context.nodeId(), message);
            out.emit(new Packet.Failure(run, context.nodeId(), message));
            return;
        }
        LocalModel local = using.local;
        LlamaModel model = local.model();
        run.trace().note(context.nodeId(), "model", using.file.getFileName().toString()); // which one, across swaps
        generating.add(run);
        try {
            String prompt = local.render(request);
            GenerationOptions asked = request.options();
            int maxTokens = asked.maxTokens() != null ? asked.maxTokens() : sampling.maxTokens();
            InferenceParameters params = sampling.apply(new InferenceParameters(prompt), asked);
            ResponseFormat shape = asked.responseFormat() != null ? asked.responseFormat() : format;
            JsonAnswer structured = shape.isJson() ? JsonAnswer.of(shape) : null;
            StringBuilder answer = structured == null ? null : new StringBuilder();
            if (structured != null) {
                params.setGrammar(grammar(local, structured.schemaText()));
            }
            int outputs = 0;
            boolean cancelled = false;
            boolean lastEmpty = false;
            LlamaIterator tokens = model.generate(params).iterator();
            while (tokens.hasNext()) {
                LlamaOutput token = tokens.next();
                if (run.isCancelled()) {
                    tokens.cancel();
                    cancelled = true;
                    break;
                }
                outputs++;
                lastEmpty = token.text.isEmpty();
                if (!lastEmpty) {
                    out.emit(new Packet.Delta(run, token.text));
                    if (answer != null) {
                        answer.append(token.text);
                    }
                }
            }
            // Each output is one sampled token, except the closing one the binding adds with no text.
            int completionTokens = !cancelled && lastEmpty ? outputs - 1 : outputs;
            int promptTokens = model.encode(prompt).length; // counted after the answer: off the first token's path
            run.trace().tokens(context.nodeId(), promptTokens, completionTokens);
            String finish = cancelled ? Packet.End.CANCELLED
                    : completionTokens >= maxTokens ? Packet.End.LENGTH : Packet.End.STOP;
            Packet.End end = new Packet.End(run, new Usage(promptTokens, completionTokens), finish);
            if (structured != null && !cancelled) {
                JsonNode value = structured.check(answer.toString(), finish.equals(Packet.End.LENGTH), maxTokens);
                if (jsonOut != null) {
                    jsonOut.emit(new Packet.Delta(run, value));
                    jsonOut.emit(end);
                }
            } else if (jsonOut != null) {
                jsonOut.emit(end);
            }
            out.emit(end);
        } catch (JsonAnswer.InvalidAnswer e) {
            run.trace().error(context.nodeId(), e.getMessage());
            context.emitAll(new Packet.Failure(run, context.nodeId(), e.getMessage()));
        } catch (RuntimeException e) {
            String message = "generation failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            log.warn("node '{}' {}: {}", context.nodeId(), run, message);
            run.trace().error(context.nodeId(), message);
            out.emit(new Packet.Failure(run, context.nodeId(), message));
        } finally {
            generating.remove(run);
            release(using);
        }
    }

    private static String grammar(LocalModel local, String schema) throws JsonAnswer.InvalidAnswer {
        try {
            return local.grammar(schema);
        } catch (IllegalArgumentException e) {
            throw new JsonAnswer.InvalidAnswer(e.getMessage());
        }
    }

    /** The generation settings, read once when the node is made rather than on every request. */
    record Sampling(int maxTokens, float temperature, float topP, int topK, float repeatPenalty,
                            boolean ignoreEos, int seed, String[] stop) {

        static Sampling from(NodeSettings s) {
            return new Sampling(s.integer("maxTokens"), (float) s.number("temperature"), (float) s.number("topP"),
                    s.integer("topK"), (float) s.number("repeatPenalty"), s.bool("ignoreEos"),
                    (int) (long) s.number("seed"), // llama.cpp reads the seed as unsigned 32 bits
                    s.stringList("stop").toArray(String[]::new));
        }

        /** The node's settings, with what the request asked for in their place. */
        InferenceParameters apply(InferenceParameters p, GenerationOptions asked) {
            p.setNPredict(asked.maxTokens() != null ? asked.maxTokens() : maxTokens)
                    .setTemperature(asked.temperature() != null ? asked.temperature().floatValue() : temperature)
                    .setTopP(asked.topP() != null ? asked.topP().floatValue() : topP)
                    .setTopK(asked.topK() != null ? asked.topK() : topK)
                    .setRepeatPenalty(asked.repeatPenalty() != null ? asked.repeatPenalty().floatValue() : repeatPenalty)
                    .setIgnoreEos(ignoreEos)
                    .setSeed(asked.seed() != null ? (int) (long) asked.seed() : seed);
            if (asked.presencePenalty() != null) {
                p.setPresencePenalty(asked.presencePenalty().floatValue());
            }
            if (asked.frequencyPenalty() != null) {
                p.setFrequencyPenalty(asked.frequencyPenalty().floatValue());
            }
            String[] stops = asked.stop() != null ? asked.stop().toArray(String[]::new) : stop;
            if (stops.length > 0) {
                p.setStopStrings(stops);
            }
            return p;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Run run : generating) {
            run.cancel("the flow stopped"); // the model must not close under a running generation
        }
        generator.shutdownNow();
        generator.awaitTermination(10, TimeUnit.SECONDS);
        unload();
    }
}
