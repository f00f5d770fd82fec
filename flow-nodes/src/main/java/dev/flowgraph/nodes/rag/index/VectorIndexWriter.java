package dev.flowgraph.nodes.rag.index;

import dev.flowgraph.core.doc.EmbeddedDocument;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * One ingestion into a vector index: documents are added, and the first time a source appears its old chunks are
 * deleted, so ingesting a file again replaces it. Nothing is visible until {@link #commit}; {@link #close} without a
 * commit throws the batch away.
 */
public final class VectorIndexWriter implements Closeable {
    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final Set<String> replaced = new HashSet<>();
    private IndexInfo info;
    private int added;

    private VectorIndexWriter(Path path, Directory directory, IndexWriter writer, IndexInfo info) {
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.info = info;
    }

    /** Opens the index at {@code path} for writing, making it when it does not exist. */
    public static VectorIndexWriter open(Path path) throws IOException {
        Files.createDirectories(path);
        Directory directory = FSDirectory.open(path);
        try {
            IndexInfo info = DirectoryReader.indexExists(directory)
                    ? IndexInfo.from(SegmentInfos.readLatestCommit(directory).getUserData()) : null;
            IndexWriterConfig config = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCommitOnClose(false).setCodec(WideVectorsCodec.INSTANCE);
            return new VectorIndexWriter(path, directory, new IndexWriter(directory, config), info);
        } catch (LockObtainFailedException e) {
            directory.close();
            throw new IllegalStateException("the index at " + path + " is being written by another ingestion", e);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** @throws IllegalStateException when the document was embedded with another model than the index's */
    public void add(EmbeddedDocument document) throws IOException {
        IndexInfo incoming = new IndexInfo(document.model(), document.dimension());
        if (info == null) {
            info = incoming;
        } else {
            info.requireSame(incoming, "these documents are", path);
        }
        String source = document.document().source();
        if (replaced.add(source)) {
            writer.deleteDocuments(new Term(LuceneFields.SOURCE, source));
        }
        writer.addDocument(LuceneFields.toLucene(document));
        added++;
    }

    public int added() {
        return added;
    }

    public int sources() {
        return replaced.size();
    }

    /** Makes the batch visible, atomically, with the index's model and dimension. */
    public void commit() throws IOException {
        if (info != null) {
            writer.setLiveCommitData(info.commitData().entrySet());
        }
        writer.commit();
    }

    /** Closes the writer; what was not committed is dropped. */
    @Override
    public void close() throws IOException {
        try {
            writer.rollback();
        } finally {
            directory.close();
        }
    }
}
