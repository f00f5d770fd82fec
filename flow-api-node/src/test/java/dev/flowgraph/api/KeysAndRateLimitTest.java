package dev.flowgraph.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Several named keys from a keys file, rotated without a restart; a token bucket per key. */
class KeysAndRateLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "alice-3f9a8b7c6d";
    private static final String BOB = "bob-0a1b2c3d4e";
    private static final String BOB_ROTATED = "bob-9z8y7x6w5v";

    private static HttpResponse<String> ask(StoryServer server, String key) throws Exception {
        return Http.send(Http.post(server.prompt(), key, Http.body("Once upon a time,")).build());
    }

    @Test
    void namedKeysFromAFileAreRotatedWithoutARestartAndNeverLogged(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, "# who may call this flow\nalice: " + ALICE + "\nbob: " + BOB + "\n");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (StoryServer server = StoryServer.start(Map.of("api.apiKey", "", "api.keysFile", keys.toString(),
                "api.warmupSeconds", 0, "llm.maxTokens", 8))) {
            assertThat(ask(server, ALICE).statusCode()).isEqualTo(200);
            assertThat(ask(server, BOB).statusCode()).isEqualTo(200);
            assertThat(ask(server, "nobody-12345678").statusCode()).isEqualTo(401);

            Files.writeString(keys, "alice: " + ALICE + "\nbob: " + BOB_ROTATED + "\n");
            Files.setLastModifiedTime(keys, FileTime.from(Instant.now().plusSeconds(2)));
            Thread.sleep(1100); // the file is looked at again at most once a second
            assertThat(ask(server, BOB).statusCode()).as("the old key of bob").isEqualTo(401);
            assertThat(ask(server, BOB_ROTATED).statusCode()).isEqualTo(200);
            assertThat(ask(server, ALICE).statusCode()).isEqualTo(200);
        } finally {
            root.detachAppender(logs);
        }
        synchronized (logs) {
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("POST /prompt")
                    .contains("(key 'alice')"));
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("(key 'bob')"));
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("read again: 2 keys (alice, bob)"));
            assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage())
                    .doesNotContain(ALICE).doesNotContain(BOB).doesNotContain(BOB_ROTATED));
        }
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfterAndOtherKeysGoOn(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, "alice: " + ALICE + "\nbob: " + BOB + "\n");
        try (StoryServer server = StoryServer.start(Map.of("api.apiKey", "", "api.keysFile", keys.toString(),
                "api.rateLimit", "6 per minute, burst 2", "api.warmupSeconds", 0, "llm.maxTokens", 8))) {
            assertThat(ask(server, ALICE).statusCode()).isEqualTo(200);
            assertThat(ask(server, ALICE).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = ask(server, ALICE);
            assertThat(limited.statusCode()).isEqualTo(429);
            long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 10L);
            JsonNode error = JSON.readTree(limited.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("rate_limited");
            assertThat(error.get("message").asText()).isEqualTo("rate limit of key 'alice' reached (6 per minute, "
                    + "burst 2); retry after " + retryAfter + " s");
            assertThat(ask(server, BOB).statusCode()).as("each key has its own bucket").isEqualTo(200);
        }
    }

    @Test
    void aBrokenKeysFileStopsTheStartNamingTheLineButNotItsKey(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, "alice: " + ALICE + "\nbob = " + BOB + "\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoryServer.start(Map.of("api.apiKey", "",
                        "api.keysFile", keys.toString(), "api.warmupSeconds", 0)))
                .hasMessageContaining("line 2: not 'name: key'").message().doesNotContain(BOB);
    }
}
