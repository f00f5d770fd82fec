package dev.flowgraph.cli.scale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code flow serve} process, started as the launcher starts it, does not grow with the requests it serves: after
 * 1,000 requests (the JIT's code and the heap settle in those: about 6 MB), 1,000 more sequential requests add at most
 * 10 MB of resident memory (measured: 0.2 MB, and 0.65 MB over 2,500 more); {@code -Dsoak.requests=N} sends more.
 */
class MemoryGrowthTest {
    private static final int REQUESTS = Integer.getInteger("soak.requests", 1000);

    @Test
    void aThousandSequentialRequestsAddAtMostTenMegabytes(@TempDir Path dir) throws Exception {
        // Every request recorded in run history, as flow serve does by default (-Dsoak.store=none: not recorded).
        String store = System.getProperty("soak.store", "jdbc:sqlite:" + dir.resolve("runs.db"));
        try (ServeInstance instance = ServeInstance.start(ServeInstance.storyFlow(dir, 16, 1, 1), Ports.free(),
                "--warmup-seconds", "0", "--store", store)) {
            // Sequential requests on one kept-alive connection: also what a hang-up watch must never disturb.
            for (int i = 0; i < 1000; i++) {
                assertThat(PromptClient.ask(instance.url(), "Once upon a time,").status()).isEqualTo(200);
            }
            long before = instance.rssKilobytes();
            for (int i = 0; i < REQUESTS; i++) {
                PromptClient.Answer a = PromptClient.ask(instance.url(), "Once upon a time, " + i);
                assertThat(a.status()).as("request %d: %s", i, a).isEqualTo(200);
            }
            long after = instance.rssKilobytes();
            System.out.printf("RSS %d kB -> %d kB over %d requests (store %s)%n", before, after, REQUESTS, store);
            assertThat((after - before) / 1024.0).as("RSS growth in MB over %d requests (%d kB -> %d kB)", REQUESTS,
                    before, after).isLessThanOrEqualTo(10.0);
        }
    }
}
