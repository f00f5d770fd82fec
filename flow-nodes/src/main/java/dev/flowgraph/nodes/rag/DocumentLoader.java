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
import dev.flowgraph.core.run.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads text files into documents when the flow starts: one file, or a folder's files whose names match a glob.
 * Each load is a run of its own, counted in the run's progress ({@code files}).
 */
public final class DocumentLoader implements NodeType {
    public static final String TYPE = "rag.loader";
    private static final Logger log = LoggerFactory.getLogger(DocumentLoader.class);

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "Document loader")
            .category("Retrieval")
            .description("Reads .txt and .md files (one file, or a folder) into documents, each with its file path "
                    + "as its source. Loads once when the flow starts: wire the Initiator to it.")
            .input(PortSpec.required("start", DataType.SIGNAL, "The Initiator's signal: load when the flow starts"))
            .output(PortSpec.output("documents", DataType.DOCUMENTS, "One document per file, then the end"))
            .setting(SettingSpec.path("path").asRequired()
                    .help("A file, or a folder to read files from."))
            .setting(SettingSpec.string("glob", "*.{md,txt}")
                    .help("Which files of a folder to read, by name (e.g. *.md)."))
            .setting(SettingSpec.bool("recursive", true)
                    .help("Also read the folder's subfolders."))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        Path path = context.settings().path("path");
        PathMatcher names = FileSystems.getDefault().getPathMatcher("glob:" + context.settings().string("glob"));
        boolean recursive = context.settings().bool("recursive");
        Outlet out = context.output("documents");
        return (inputPort, packet) -> {
            if (packet instanceof Packet.Delta) {
                Run run = context.newRun(Duration.ZERO);
                context.workers().execute(() -> load(context, run, out, path, names, recursive));
            }
        };
    }

    private static void load(NodeContext context, Run run, Outlet out, Path path, PathMatcher names, boolean recursive) {
        List<Path> files;
        try {
            files = files(path, names, recursive);
        } catch (IOException | RuntimeException e) {
            context.fail(run, e);
            return;
        }
        run.progress().total(context.nodeId(), "files", files.size());
        for (Path file : files) {
            if (run.isCancelled()) {
                break;
            }
            try {
                String text = read(file);
                if (!text.isBlank()) {
                    out.emit(new Packet.Delta(run, new Document(text, file.toString(),
                            java.util.Map.of("file", file.getFileName().toString()))));
                }
            } catch (IOException e) {
                log.warn("node '{}': skipped {}: {}", context.nodeId(), file, e.toString());
                run.progress().add(context.nodeId(), "skipped", 1);
            }
            run.progress().add(context.nodeId(), "files", 1);
        }
        out.emit(run.isCancelled() ? new Packet.End(run, null, Packet.End.CANCELLED) : Packet.End.of(run));
    }

    /** The files to read, sorted so every load goes in the same order. */
    static List<Path> files(Path path, PathMatcher names, boolean recursive) throws IOException {
        Path root = path.toAbsolutePath().normalize();
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("no file or folder at " + root);
        }
        try (Stream<Path> walk = Files.walk(root, recursive ? Integer.MAX_VALUE : 1)) {
            return walk.filter(Files::isRegularFile).filter(f -> names.matches(f.getFileName())).sorted().toList();
        }
    }

    /** Reads UTF-8, refusing files that are not text (a binary file that happens to match the glob). */
    private static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text", e);
        }
    }
}
