package dev.flowgraph.nodes.rag;

import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Packet;

import java.util.List;

/** Splits documents into chunks small enough to embed and to put in a prompt. */
public final class TextSplitter implements NodeType {
    public static final String TYPE = "rag.splitter";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Text splitter")
            .category("Retrieval")
            .description("Splits each document into chunks, between paragraphs or sentences where it can. "
                    + "Each chunk keeps its document's source and gets its number as 'chunk'.")
            .input(PortSpec.required("documents", DataType.DOCUMENTS, "The documents to split"))
            .output(PortSpec.output("chunks", DataType.DOCUMENTS, "The chunks, in order"))
            .setting(SettingSpec.integer("chunkSize", 800).range(20, 100_000)
                    .help("The most characters in a chunk."))
            .setting(SettingSpec.integer("overlap", 100).range(0, 100_000)
                    .help("Characters a chunk repeats from the end of the one before; less than the chunk size."))
            .setting(SettingSpec.integer("minChunkLength", 20).range(0, 100_000)
                    .help("Chunks shorter than this (in characters) are dropped."))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Chunker chunker;
        try {
            chunker = new Chunker(context.settings().integer("chunkSize"), context.settings().integer("overlap"),
                    context.settings().integer("minChunkLength"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node '" + context.nodeId() + "': " + e.getMessage(), e);
        }
        Outlet out = context.output("chunks");
        return (inputPort, packet) -> {
            if (packet instanceof Packet.Delta delta && delta.value() instanceof Document doc) {
                List<String> chunks = chunker.split(doc.text());
                for (int i = 0; i < chunks.size(); i++) {
                    out.emit(new Packet.Delta(delta.run(), doc.chunk(chunks.get(i), i)));
                }
                delta.run().progress().add(context.nodeId(), "chunks", chunks.size());
            } else {
                out.emit(packet);
            }
        };
    }
}
