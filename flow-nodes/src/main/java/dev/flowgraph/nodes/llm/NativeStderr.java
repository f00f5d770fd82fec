package dev.flowgraph.nodes.llm;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Catches what native code prints through C's {@code stderr} and hands it to Java line by line.
 * <p>
 * llama.cpp logs with {@code fprintf(stderr, …)}; the binding's own log callback is replaced by llama.cpp's
 * logger each time a model loads (de.kherud:llama 4.2.0), so it never fires. glibc lets a program point its
 * {@code stderr} variable at another stream (documented in its manual), and {@code fopencookie} makes a stream whose
 * writes call a function: ours, through JNA. Each line reaches Java in the thread that printed it, before
 * {@code fprintf} returns, so the last words before an abort ({@code GGML_ASSERT}) are logged before the process
 * dies. The file descriptor 2 itself is left alone: the JVM's own messages, {@code System.err} and Logback's
 * console output still reach the real stderr, and a logged line cannot come back here.
 */
final class NativeStderr {
    private static final int LINE_BUFFERED = 1; // glibc's _IOLBF

    /** ssize_t write(void *cookie, const char *buf, size_t size) */
    public interface CookieWrite extends Callback {
        long invoke(Pointer cookie, Pointer buffer, long size);
    }

    /** glibc's cookie_io_functions_t, passed by value; only writing is offered. */
    @Structure.FieldOrder({"read", "write", "seek", "close"})
    public static final class CookieFunctions extends Structure implements Structure.ByValue {
        public Pointer read;
        public CookieWrite write;
        public Pointer seek;
        public Pointer close;
    }

    private interface LibC extends Library {
        Pointer fopencookie(Pointer cookie, String mode, CookieFunctions functions);

        int setvbuf(Pointer stream, Pointer buffer, int mode, long size);

        int setenv(String name, String value, int overwrite);
    }

    private static LineWriter writer; // held here: native code keeps calling it for the life of the process

    private NativeStderr() {
    }

    /**
     * Points C's {@code stderr} at a stream whose lines go to {@code lines}.
     *
     * @return false, with nothing changed, where this cannot be done (not Linux with glibc)
     */
    static synchronized boolean capture(Consumer<String> lines) {
        if (writer != null) {
            return true;
        }
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            LibC libc = Native.load("c", LibC.class);
            LineWriter lineWriter = new LineWriter(lines);
            // A native thread stays attached after its first line: attaching for each line cost ~35 system calls per
            // request. It detaches when it ends; llama.cpp's log worker, which C's exit would join after the JVM
            // stopped (a detach then waits forever), is ended while the JVM runs (LlamaNative's shutdown hook).
            Native.setCallbackThreadInitializer(lineWriter,
                    new CallbackThreadInitializer(true, false, "llama.cpp-log"));
            CookieFunctions functions = new CookieFunctions();
            functions.write = lineWriter;
            Pointer stream = libc.fopencookie(null, "w", functions);
            if (stream == null) {
                return false;
            }
            libc.setvbuf(stream, null, LINE_BUFFERED, 0);
            // The process-wide lookup finds the variable every library uses (the executable's copy, if it has one).
            NativeLibrary.getProcess().getGlobalVariableAddress("stderr").setPointer(0, stream);
            writer = lineWriter;
            // On an assert, ggml forks a child to attach gdb; in a JVM whose llama.cpp logger is running, that child
            // hangs on exit when there is no gdb, and the process never dies. Without the backtrace it aborts at once.
            libc.setenv("GGML_NO_BACKTRACE", "1", 0);
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // e.g. a C library without fopencookie (musl)
        }
    }

    /** Gathers the bytes written into lines (a write may hold part of a line, or several). */
    private static final class LineWriter implements CookieWrite {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

        LineWriter(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized long invoke(Pointer cookie, Pointer buffer, long size) {
            byte[] bytes = buffer.getByteArray(0, (int) size);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, start, i - start);
                    emit();
                    start = i + 1;
                }
            }
            line.write(bytes, start, bytes.length - start);
            return size;
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            try {
                lines.accept(text);
            } catch (RuntimeException e) {
                // a failing log sink must not fail llama.cpp's fprintf
            }
        }
    }
}
