package dev.flowgraph.nodes.rag;

import dev.flowgraph.core.doc.EmbeddedDocument;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.nodes.rag.index.VectorIndexWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Stores embedded documents in a vector index on disk. Each run is one ingestion, committed when its stream ends
 * (all or nothing); this is where an ingestion run finishes.
 */
public final class VectorStore implements NodeType {
    public static final String TYPE = "rag.index";
    private static final Logger log = LoggerFactory.getLogger(VectorStore.class);

    static final SettingSpec DIRECTORY = SettingSpec.path("directory").asRequired()
            .help("The folder that holds the index (made when missing). The Retrieve node reads the same folder.");

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Vector index")
            .category("Retrieval")
            .description("Stores embedded chunks in a persistent vector index (Lucene HNSW, cosine). Ingesting a "
                    + "file again replaces its chunks. The index keeps its embedding model and dimension and "
                    + "refuses vectors of another.")
            .input(PortSpec.required("vectors", DataType.VECTORS, "Embedded documents to store"))
            .setting(DIRECTORY)
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Path directory = context.settings().path("directory");
        Map<Run, VectorIndexWriter> writers = new HashMap<>();
        return new NodeBehavior() {
            @Override
            public void receive(String inputPort, Packet packet) throws IOException {
                Run run = packet.run();
                try {
                    if (packet instanceof Packet.Delta delta) {
                        VectorIndexWriter writer = writers.get(run);
                        if (writer == null) {
                            writer = VectorIndexWriter.open(directory);
                            writers.put(run, writer);
                        }
                        writer.add((EmbeddedDocument) delta.value());
                        run.progress().add(context.nodeId(), "stored", 1);
                    } else {
                        finish(run, packet);
                    }
                } catch (IOException | RuntimeException e) {
                    // The run stops here: nothing of it is committed, and whoever waits for it hears it ended.
                    discard(run);
                    context.runFinished(run);
                    throw e;
                }
            }

            private void finish(Run run, Packet packet) throws IOException {
                VectorIndexWriter writer = writers.remove(run);
                try (writer) {
                    if (writer != null && packet instanceof Packet.End end && !Packet.End.CANCELLED.equals(end.finishReason())) {
                        writer.commit();
                        run.trace().note(context.nodeId(), "stored", writer.added() + " chunks from "
                                + writer.sources() + " sources in " + directory);
                        log.info("node '{}': stored {} chunks from {} sources in {}", context.nodeId(),
                                writer.added(), writer.sources(), directory);
                    }
                } finally {
                    context.runFinished(run);
                }
            }

            private void discard(Run run) {
                VectorIndexWriter writer = writers.remove(run);
                if (writer != null) {
                    try {
                        writer.close();
                    } catch (IOException e) {
                        log.warn("node '{}': could not close the index writer: {}", context.nodeId(), e.toString());
                    }
                }
            }

            @Override
            public void close() {
                writers.keySet().stream().toList().forEach(this::discard);
            }
        };
    }
}
