package dev.flowgraph.nodes.llm;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the key-value header of a GGUF file (scalars and strings; arrays are skipped). The binding cannot tell
 * whether a model carries a chat template, so we look for {@code tokenizer.chat_template} ourselves.
 */
final class GgufMetadata {
    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6,
            BOOL = 7, STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;

    private final Map<String, Object> values;

    private GgufMetadata(Map<String, Object> values) {
        this.values = values;
    }

    static GgufMetadata read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            if (Integer.reverseBytes(in.readInt()) != MAGIC) {
                throw new IOException(file + " is not a GGUF model file");
            }
            int version = Integer.reverseBytes(in.readInt());
            if (version < 2) {
                throw new IOException(file + " is GGUF version " + version + "; versions 2 and 3 are supported");
            }
            Long.reverseBytes(in.readLong()); // tensor count
            long count = Long.reverseBytes(in.readLong());
            Map<String, Object> values = new HashMap<>();
            for (long i = 0; i < count; i++) {
                String key = readString(in);
                int type = Integer.reverseBytes(in.readInt());
                Object value = readValue(in, type);
                if (value != null) {
                    values.put(key, value);
                }
            }
            return new GgufMetadata(values);
        } catch (EOFException e) {
            throw new IOException(file + " ends before its GGUF header does", e);
        }
    }

    String string(String key) {
        return values.get(key) instanceof String s ? s : null;
    }

    /** A whole-number value (any integer type), or -1. */
    long number(String key) {
        return values.get(key) instanceof Number n ? n.longValue() : -1;
    }

    /** What a model file is, from its header: name, size, architecture and the context it was trained with. */
    static dev.flowgraph.core.chat.ModelSlot.ModelFile describe(Path file) throws IOException {
        GgufMetadata m = read(file);
        String architecture = m.string("general.architecture");
        return new dev.flowgraph.core.chat.ModelSlot.ModelFile(file.getFileName().toString(), file.toAbsolutePath(),
                Files.size(file), architecture, architecture == null ? -1 : m.number(architecture + ".context_length"));
    }

    boolean hasChatTemplate() {
        String t = string("tokenizer.chat_template");
        return t != null && !t.isBlank();
    }

    private static Object readValue(DataInputStream in, int type) throws IOException {
        switch (type) {
            case UINT8, INT8: return (long) in.readByte();
            case BOOL: return in.readByte() != 0;
            case UINT16, INT16: return (long) Short.reverseBytes(in.readShort());
            case UINT32, INT32: return (long) Integer.reverseBytes(in.readInt());
            case FLOAT32: return (double) Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
            case UINT64, INT64: return Long.reverseBytes(in.readLong());
            case FLOAT64: return Double.longBitsToDouble(Long.reverseBytes(in.readLong()));
            case STRING: return readString(in);
            case ARRAY:
                int elementType = Integer.reverseBytes(in.readInt());
                long n = Long.reverseBytes(in.readLong());
                for (long i = 0; i < n; i++) {
                    readValue(in, elementType);
                }
                return null;
            default:
                throw new IOException("unknown GGUF value type " + type);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        long length = Long.reverseBytes(in.readLong());
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new IOException("implausible GGUF string length " + length);
        }
        return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
    }
}
