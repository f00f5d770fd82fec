package dev.flowgraph.nodes.rag.read;

import dev.flowgraph.core.doc.Document;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Plain text and Markdown, read as UTF-8; a file that is not UTF-8 text is refused, not read as noise. */
final class TextReader implements DocumentReader {

    @Override
    public Read read(Path file, byte[] bytes) throws IOException {
        String text = decode(bytes);
        return text.isBlank() ? new Read(List.of(), List.of(file.getFileName().toString()))
                : Read.of(new Document(text, file.toString(), Map.of("file", file.getFileName().toString())));
    }

    static String decode(byte[] bytes) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text", e);
        }
    }
}
