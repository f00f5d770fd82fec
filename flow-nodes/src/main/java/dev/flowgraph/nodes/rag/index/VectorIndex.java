package dev.flowgraph.nodes.rag.index;

import dev.flowgraph.core.doc.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side of a vector index on disk (Lucene HNSW vectors): k-nearest search by cosine similarity. Sees what
 * an ingestion commits while it is open, in this process or another.
 */
public final class VectorIndex implements Closeable {
    /**
     * How many candidates the HNSW search keeps while it walks the graph, at least. Lucene uses k for this beam
     * width, and with a small k (one passage) the walk can stop at a wrong neighbour; a wider beam costs little.
     */
    static final int MIN_CANDIDATES = 100;

    private final Path path;
    private final Directory directory;
    private final SearcherManager searchers;

    private VectorIndex(Path path, Directory directory) throws IOException {
        this.path = path;
        this.directory = directory;
        this.searchers = new SearcherManager(directory, null);
    }

    /** @throws IllegalStateException when there is no index at {@code path} yet */
    public static VectorIndex open(Path path) throws IOException {
        Directory directory = FSDirectory.open(path);
        if (!DirectoryReader.indexExists(directory)) {
            directory.close();
            throw new IllegalStateException("no vector index at " + path + ": run the ingestion flow first "
                    + "(e.g. ./flow run examples/rag-ingest.flow.json)");
        }
        return new VectorIndex(path, directory);
    }

    public Path path() {
        return path;
    }

    /** The model and dimension of the vectors, as of the latest commit. */
    public IndexInfo info() throws IOException {
        IndexInfo info = IndexInfo.from(SegmentInfos.readLatestCommit(directory).getUserData());
        if (info == null) {
            throw new IllegalStateException("the index at " + path + " does not say which embedding model made it");
        }
        return info;
    }

    public int size() throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            searchers.release(searcher);
        }
    }

    /**
     * The {@code limit} nearest documents whose cosine similarity is at least {@code threshold}, best first, each
     * with its {@link Document#score()}.
     *
     * @param queryInfo the model and dimension of {@code query}; refused unless it is the index's own
     */
    public List<Document> search(float[] query, IndexInfo queryInfo, int limit, double threshold) throws IOException {
        info().requireSame(queryInfo, "the query is", path);
        searchers.maybeRefresh();
        IndexSearcher searcher = searchers.acquire();
        try {
            int candidates = Math.max(limit, MIN_CANDIDATES);
            TopDocs top = searcher.search(new KnnFloatVectorQuery(LuceneFields.VECTOR, query, candidates), limit);
            List<Document> found = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                double score = LuceneFields.cosine(hit.score);
                if (score >= threshold) {
                    found.add(LuceneFields.fromLucene(searcher.storedFields().document(hit.doc)).scored(score));
                }
            }
            return found;
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        directory.close();
    }
}
