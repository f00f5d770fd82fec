package dev.flowgraph.nodes.rag.index;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

import java.io.IOException;

/**
 * Lucene's default codec, taking vectors of up to {@value #MAX_DIMENSIONS} dimensions instead of 1024, so remote
 * embedding models such as OpenAI's (1536 and 3072) fit. Files are written in the standard HNSW format under its
 * standard name, so any Lucene 9.12 reads them back with its default codec.
 */
final class WideVectorsCodec {
    static final int MAX_DIMENSIONS = 4096;
    static final Codec INSTANCE = codec();

    private WideVectorsCodec() {
    }

    private static Codec codec() {
        KnnVectorsFormat standard = new Lucene99HnswVectorsFormat();
        KnnVectorsFormat wide = new KnnVectorsFormat(standard.getName()) {
            @Override
            public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
                return standard.fieldsWriter(state);
            }

            @Override
            public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
                return standard.fieldsReader(state);
            }

            @Override
            public int getMaxDimensions(String fieldName) {
                return MAX_DIMENSIONS;
            }
        };
        return new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return wide;
            }
        };
    }
}
