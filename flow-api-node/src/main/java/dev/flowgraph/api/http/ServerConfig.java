package dev.flowgraph.api.http;

import dev.flowgraph.core.node.NodeSettings;

import java.time.Duration;

/**
 * The API element's server settings.
 *
 * @param keys           the keys clients may use, by name; never logged or printed
 * @param rateLimit      requests per key, such as {@code "60 per minute, burst 10"}; empty: no limit
 * @param metrics        serve {@code GET /metrics}
 * @param metricsKey     the key /metrics needs from other machines; empty: loopback callers only
 * @param readTimeout    how long a client may take to send its headers, then its body
 * @param idleTimeout    how long a kept-alive connection may wait for its next request
 * @param maxConnections most client connections open at once
 * @param history        what run history keeps, and for how long
 * @param sessionTtl     how long a conversation is kept after its last message
 * @param waitForSession whether a request for a busy session waits (else 409)
 */
public record ServerConfig(String host, int port, ApiKeys keys, long maxBodyBytes, Duration keepAliveInterval,
                           int concurrency, String flowName, Duration warmUp, Duration readTimeout,
                           Duration idleTimeout, int maxConnections, String rateLimit, boolean metrics,
                           String metricsKey, String localLabRateLimit, History history, Duration sessionTtl, boolean waitForSession,
                           Duration runTimeout, boolean requeueInterruptedJobs, boolean refuseWhileModelLoads,
                           int maxEmbeddingInputs) {

    /**
     * @param record   {@code full}, {@code metadata} or {@code off}
     * @param maxChars the longest answer kept whole
     */
    public record History(String record, int maxChars, int maxRuns, Duration maxAge) {
        public boolean isOff() {
            return record.equals("off");
        }

        public boolean keepsText() {
            return record.equals("full");
        }
    }

    /** @throws java.io.IOException when the keys file cannot be read */
    public static ServerConfig from(NodeSettings settings, String flowName) throws java.io.IOException {
        ApiKeys keys = settings.string("keysFile").isEmpty() ? ApiKeys.single(settings.string("apiKey"))
                : ApiKeys.fromFile(settings.path("keysFile"));
        return new ServerConfig(settings.string("host"), settings.integer("port"), keys,
                settings.integer("maxBodyBytes"), Duration.ofSeconds(settings.integer("keepAliveSeconds")),
                settings.integer("concurrency"), flowName,
                Duration.ofMillis(Math.round(settings.number("warmupSeconds") * 1000)),
                Duration.ofMillis(Math.round(settings.number("readTimeoutSeconds") * 1000)),
                Duration.ofSeconds(settings.integer("idleTimeoutSeconds")), settings.integer("maxConnections"),
                settings.string("rateLimit"), settings.bool("metrics"), settings.string("metricsKey"),
                settings.string("localLabRateLimit"),
                new History(settings.string("record"), settings.integer("recordMaxChars"), settings.integer("maxRuns"),
                        Duration.ofDays(settings.integer("maxAgeDays"))),
                Duration.ofMillis(Math.round(settings.number("sessionTtlDays") * 86_400_000)),
                settings.string("sessionBusy").equals("wait"), Duration.ofSeconds(settings.integer("timeoutSeconds")),
                settings.string("interruptedJobs").equals("requeue"), settings.string("whileModelLoads").equals("refuse"),
                settings.integer("maxEmbeddingInputs"));
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", keys=(hidden), maxBodyBytes=" + maxBodyBytes
                + ", keepAliveInterval=" + keepAliveInterval + ", concurrency=" + concurrency + ", warmUp=" + warmUp
                + ", readTimeout=" + readTimeout + ", idleTimeout=" + idleTimeout + ", maxConnections=" + maxConnections
                + ", rateLimit=" + rateLimit + ", metrics=" + metrics + ", history=" + history + ", sessionTtl=" + sessionTtl
                + ", waitForSession=" + waitForSession + "]";
    }
}
