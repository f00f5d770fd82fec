package dev.flowgraph.nodes.rag;

import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.doc.EmbeddedDocument;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.nodes.rag.embed.Embedder;
import dev.flowgraph.nodes.rag.embed.EmbedderService;
import dev.flowgraph.nodes.rag.embed.Embedders;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The running Embeddings node. Documents are gathered into batches on the mailbox; each batch is embedded on a
 * worker, after the run's batch before it, so vectors leave in the order the documents came.
 */
final class EmbeddingsNode implements NodeBehavior, EmbedderService {
    private final NodeContext context;
    private final Outlet out;
    private final int batchSize;
    /** Runs in progress (mailbox only). */
    private final Map<Run, Batches> runs = new HashMap<>();
    private Embedder embedder;

    EmbeddingsNode(NodeContext context) {
        this.context = context;
        this.out = context.output("vectors");
        this.batchSize = Embedders.batchSize(context.settings());
    }

    @Override
    public void start() throws Exception {
        embedder = Embedders.create(context.settings());
    }

    @Override
    public Embedder embedder() {
        return embedder;
    }

    @Override
    public void receive(String inputPort, Packet packet) {
        Run run = packet.run();
        if (packet instanceof Packet.Delta delta) {
            if (!(delta.value() instanceof Document doc)) {
                throw new IllegalArgumentException("expected documents, got " + delta.value().getClass().getSimpleName());
            }
            Batches batches = runs.computeIfAbsent(run, r -> new Batches());
            batches.pending.add(doc);
            if (batches.pending.size() >= batchSize) {
                batches.send(run);
            }
        } else {
            Batches batches = runs.remove(run);
            if (batches == null) {
                out.emit(packet);
            } else {
                batches.send(run);
                batches.then(() -> {
                    if (!batches.failed) {
                        out.emit(packet);
                    }
                });
            }
        }
    }

    /** One run's documents: the batch being gathered, and the chain of batches sent to be embedded. */
    private final class Batches {
        List<Document> pending = new ArrayList<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        volatile boolean failed;

        void send(Run run) {
            if (pending.isEmpty()) {
                return;
            }
            List<Document> batch = pending;
            pending = new ArrayList<>();
            then(() -> embed(run, batch));
        }

        void then(Runnable step) {
            chain = chain.thenRunAsync(step, context.workers());
        }

        private void embed(Run run, List<Document> batch) {
            if (failed || run.isCancelled()) {
                return;
            }
            try {
                List<float[]> vectors = embedder.embed(batch.stream().map(Document::text).toList(), run);
                run.progress().add(context.nodeId(), "embedded", batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    out.emit(new Packet.Delta(run, new EmbeddedDocument(batch.get(i), embedder.model(), vectors.get(i))));
                }
            } catch (Exception e) {
                failed = true;
                context.fail(run, e);
            }
        }
    }

    @Override
    public void close() {
        if (embedder != null) {
            embedder.close();
        }
    }
}
