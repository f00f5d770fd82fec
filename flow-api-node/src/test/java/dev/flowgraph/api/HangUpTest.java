package dev.flowgraph.api;

import dev.flowgraph.core.run.Run;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that hangs up before its first token frees its slot at once, noticed from the connection itself. */
class HangUpTest {

    @Test
    void aClientThatHangsUpWhileTheModelReadsThePromptFreesItsSlotAtOnce() throws Exception {
        GateNode gate = new GateNode();
        gate.holdFirstPiece = true;
        gate.answers = GateNode.hold(); // the "model" is still reading the prompt: no token for now
        try (StoryServer server = StoryServer.startFlow(GateNode.flow(Map.of("apiKey", StoryServer.KEY, "port", 0,
                "host", "127.0.0.1", "warmupSeconds", 0, "keepAliveSeconds", 3600), false), gate)) {
            URI uri = URI.create(server.url);
            for (int round = 0; round < 3; round++) {
                String body = Http.body("Once upon a time,");
                Socket socket = new Socket(uri.getHost(), uri.getPort());
                OutputStream out = socket.getOutputStream();
                out.write(("POST /prompt HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: "
                        + StoryServer.KEY + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] headers = new byte[1024];
                int n = in.read(headers); // the headers: the run is admitted and waits for its first token
                assertThat(new String(headers, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
                assertThat(health(server)).contains("\"inFlight\":1");

                long closed = System.nanoTime();
                socket.close();
                Run run = server.finishedRuns.poll(5, TimeUnit.SECONDS);
                double millis = (System.nanoTime() - closed) / 1e6;
                assertThat(run).isNotNull();
                assertThat(run.cancelReason()).isEqualTo("client disconnected");
                assertThat(millis).as("from the hang-up to the run's end (keep-alive comments every hour)")
                        .isLessThan(300);
                assertThat(health(server)).contains("\"inFlight\":0");
            }
            // The next client is served as usual.
            gate.holdFirstPiece = false;
            gate.answers.countDown();
            assertThat(Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("Hi")).build()).body())
                    .contains("first").contains(" second").endsWith("data: [DONE]\n\n");
        }
    }

    private static String health(StoryServer server) throws Exception {
        return Http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.url + "/health")).build()).body();
    }
}
