package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.node.SettingSpec;

/** Ports and settings every remote model node declares the same way, so they can be swapped for one another. */
public final class RemoteSettings {
    public static final PortSpec CHAT = PortSpec.required("chat", DataType.CHAT, "The conversation to answer");
    public static final PortSpec TEXT = PortSpec.output("text", DataType.TEXT,
            "The answer, streamed; the end carries token usage");
    public static final SettingSpec CONNECT_TIMEOUT = SettingSpec.integer("connectTimeoutSeconds", 10).range(1, 600)
            .help("How long to wait for the connection.");
    public static final SettingSpec READ_TIMEOUT = SettingSpec.integer("readTimeoutSeconds", 120).range(1, 86_400)
            .help("How long to wait for the answer to start, and then between two pieces of it.");

    private RemoteSettings() {
    }

    public static SettingSpec baseUrl(String defaultValue, String help) {
        return SettingSpec.string("baseUrl", defaultValue).asRequired().matching("https?://\\S+").help(help);
    }

    public static SettingSpec apiKey(String help) {
        return SettingSpec.string("apiKey", null).asSecret()
                .help(help + " Write ${env:NAME} to read it from the environment instead of the flow file.");
    }
}
