package dev.flowgraph.api.http;

import dev.flowgraph.core.node.NodeSettings;

import java.time.Duration;

/**
 * The API element's server settings.
 *
 * @param apiKey never logged or printed; {@link #toString()} leaves it out
 */
public record ServerConfig(String host, int port, String apiKey, long maxBodyBytes, Duration keepAliveInterval,
                           int concurrency, String flowName, Duration warmUp) {

    public static ServerConfig from(NodeSettings settings, String flowName) {
        return new ServerConfig(settings.string("host"), settings.integer("port"), settings.string("apiKey"),
                settings.integer("maxBodyBytes"), Duration.ofSeconds(settings.integer("keepAliveSeconds")),
                settings.integer("concurrency"), flowName,
                Duration.ofMillis(Math.round(settings.number("warmupSeconds") * 1000)));
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", apiKey=(hidden), maxBodyBytes=" + maxBodyBytes
                + ", keepAliveInterval=" + keepAliveInterval + ", concurrency=" + concurrency + ", warmUp=" + warmUp + "]";
    }
}
