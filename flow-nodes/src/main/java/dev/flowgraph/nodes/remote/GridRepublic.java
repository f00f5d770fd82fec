package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.SettingSpec;

/**
 * A model run as a GridRepublic remote job: the prompt is submitted as a job, and the job's growing log is
 * streamed into the flow as it is polled, so it can stand in for any other model node.
 */
public final class GridRepublic implements NodeType {
    public static final String TYPE = "llm.gridrepublic";

    private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE, "GridRepublic remote job")
            .category("Remote LLM")
            .description("Submits the conversation as a text-inference job to GridRepublic's remote jobs API, polls "
                    + "the job and streams the new part of its log each time, until the job ends. Cancelling the "
                    + "run stops the polling.")
            .input(RemoteSettings.CHAT)
            .output(RemoteSettings.TEXT)
            .setting(RemoteSettings.baseUrl("https://api.gridrepublic.services/remotejobs/v2",
                    "The remote jobs API, up to and without /jobs."))
            .setting(RemoteSettings.apiKey("The API token, sent as 'Authorization: Bearer <token>'.").asRequired())
            .setting(SettingSpec.string("tag", "gemma:2b").asRequired()
                    .help("The model that runs the job, e.g. gemma:2b or llama2-uncensored."))
            .setting(SettingSpec.string("app", "gridrepublic:text-inference").asRequired()
                    .help("The application that runs the job."))
            .setting(SettingSpec.integer("pollIntervalMillis", 1000).range(50, 60_000)
                    .help("The first wait between two polls, and the wait again each time the log has grown."))
            .setting(SettingSpec.integer("maxPollIntervalSeconds", 10).range(1, 600)
                    .help("While the log stands still the wait doubles up to this."))
            .setting(SettingSpec.integer("jobTimeoutSeconds", 900).range(1, 86_400)
                    .help("How long a job may take in all before the run fails."))
            .setting(RemoteSettings.CONNECT_TIMEOUT)
            .setting(RemoteSettings.READ_TIMEOUT)
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new GridRepublicNode(context);
    }
}
