package dev.flowgraph.api.http;

import dev.flowgraph.core.node.NodeSettings;

import java.time.Duration;

/**
 * The API element's server settings.
 *
 * @param apiKey         never logged or printed; {@link #toString()} leaves it out
 * @param readTimeout    how long a client may take to send its headers, then its body
 * @param idleTimeout    how long a kept-alive connection may wait for its next request
 * @param maxConnections most client connections open at once
 */
public record ServerConfig(String host, int port, String apiKey, long maxBodyBytes, Duration keepAliveInterval,
                           int concurrency, String flowName, Duration warmUp, Duration readTimeout,
                           Duration idleTimeout, int maxConnections) {

    public static ServerConfig from(NodeSettings settings, String flowName) {
        return new ServerConfig(settings.string("host"), settings.integer("port"), settings.string("apiKey"),
                settings.integer("maxBodyBytes"), Duration.ofSeconds(settings.integer("keepAliveSeconds")),
                settings.integer("concurrency"), flowName,
                Duration.ofMillis(Math.round(settings.number("warmupSeconds") * 1000)),
                Duration.ofMillis(Math.round(settings.number("readTimeoutSeconds") * 1000)),
                Duration.ofSeconds(settings.integer("idleTimeoutSeconds")), settings.integer("maxConnections"));
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", apiKey=(hidden), maxBodyBytes=" + maxBodyBytes
                + ", keepAliveInterval=" + keepAliveInterval + ", concurrency=" + concurrency + ", warmUp=" + warmUp
                + ", readTimeout=" + readTimeout + ", idleTimeout=" + idleTimeout + ", maxConnections=" + maxConnections
                + "]";
    }
}
