package dev.flowgraph.nodes.rag;

import dev.flowgraph.nodes.rag.read.DocumentReader;
import dev.flowgraph.nodes.rag.read.DocumentReaders;

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
            .description("Reads text, Markdown, PDF (a document per page, the source naming file and page) and HTML "
                    + "(the page's readable text, its title in the source) files, one file or a folder's, into "
                    + "documents. A file that cannot be read is named in the run's progress and trace, and the rest "
                    + "are read. Loads once when the flow starts: wire the Initiator to it.")
            .input(PortSpec.required("start", DataType.SIGNAL, "The Initiator's signal: load when the flow starts"))
            .output(PortSpec.output("documents", DataType.DOCUMENTS, "One document per file, then the end"))
            .setting(SettingSpec.path("path").asRequired()
                    .help("A file, or a folder to read files from."))
            .setting(SettingSpec.string("glob", "*.{md,txt,pdf,html,htm}")
                    .help("Which files of a folder to read, by name (e.g. *.md). Each is read by what it holds: "
                            + "PDF, HTML, or UTF-8 text."))
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
                byte[] bytes = Files.readAllBytes(file);
                DocumentReader.Read read = DocumentReaders.forFile(file, bytes).read(file, bytes);
                for (Document doc : read.documents()) {
                    out.emit(new Packet.Delta(run, doc));
                }
                for (String empty : read.emptyParts()) {
                    run.progress().named(context.nodeId(), "no text", empty);
                }
            } catch (IOException | RuntimeException e) {
                String why = file.getFileName() + ": " + e.getMessage();
                log.warn("node '{}': skipped {}", context.nodeId(), why);
                run.progress().named(context.nodeId(), "skipped", why);
            }
            run.progress().add(context.nodeId(), "files", 1);
        }
        for (var count : run.progress().counts()) {
            if (!count.items().isEmpty() && context.nodeId().equals(count.nodeId())) {
                run.trace().note(context.nodeId(), count.name(), String.join("; ", count.items()));
            }
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
}
