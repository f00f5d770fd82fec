package dev.flowgraph.cli.scale;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote OpenAI-compatible chat service on loopback (the documented {@code /v1/chat/completions} stream) whose
 * answers the test holds open: each answer sends its first piece at once, then waits at a gate the test opens.
 * {@code flow serve} instances reach it through their {@code llm.openai} node, so a test decides exactly how long a
 * stream lasts instead of racing a model that writes thousands of tokens a second.
 */
final class GatedChatService implements AutoCloseable {
    /** How long a held answer waits for its gate before it goes on anyway (a test that forgot to open it). */
    private static final long MAX_HOLD_SECONDS = 120;

    private final HttpServer server;
    private final ExecutorService streams = Executors.newCachedThreadPool();
    private final int pieces;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    /** Serves answers of exactly {@code pieces} pieces, each counted as one completion token; the gate starts open. */
    GatedChatService(int pieces) throws IOException {
        this.pieces = pieces;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/chat/completions", this::answer);
        server.setExecutor(streams);
        server.start();
    }

    /** The base URL for the {@code llm.openai} node. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** From now on, answers stop after their first piece until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets every held answer (and every later one) stream to its end. */
    void release() {
        gate.countDown();
    }

    /** Requests received so far. */
    int requests() {
        return requests.get();
    }

    /** Answers being streamed right now. */
    int open() {
        return open.get();
    }

    /** The most answers that were being streamed at the same time. */
    int mostOpen() {
        return mostOpen.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        requests.incrementAndGet();
        CountDownLatch heldBy = gate;
        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < pieces; i++) {
                if (i == 1 && !heldBy.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("held for " + MAX_HOLD_SECONDS + " s and never released");
                }
                event(out, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + (i == 0 ? "Once" : " w" + i)
                        + "\"},\"finish_reason\":null}]}");
            }
            event(out, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}");
            event(out, "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":" + pieces
                    + ",\"total_tokens\":" + (pieces + 5) + "}}");
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientLeft) {
            // flow serve hung up (its client left or it was killed): nothing more to send
        } finally {
            open.decrementAndGet();
        }
    }

    private static void event(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        streams.shutdownNow();
    }
}
