package dev.flowgraph.cli;

import dev.flowgraph.cli.nginx.NginxConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

@Command(name = "nginx", description = {
        "Writes an NGINX config that spreads requests over several 'flow serve' instances.",
        "Start instance i with: flow serve FILE --port <base-port + i>."})
final class NginxCommand implements Callable<Integer> {

    @Option(names = "--instances", required = true, description = "How many instances.")
    int instances;

    @Option(names = "--base-port", defaultValue = "5050", description = "Port of the first instance (default ${DEFAULT-VALUE}); the others follow.")
    int basePort;

    @Option(names = "--listen", defaultValue = "8080", description = "Port NGINX listens on (default ${DEFAULT-VALUE}).")
    int listen;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Where the instances listen (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--conns-per-instance", defaultValue = "1",
            description = "Streams each instance takes at once: its API element's concurrency (default ${DEFAULT-VALUE}).")
    int connsEach;

    @Option(names = "--retry-after", defaultValue = "1",
            description = "Seconds a client is told to wait when every instance is busy (default ${DEFAULT-VALUE}).")
    int retryAfter;

    @Option(names = "--tcp", description = {"Layer 4 (NGINX's stream module): each instance's bytes pass through "
            + "unchanged, so clients that split the stream by chunk read every event; the instance with the fewest "
            + "connections is chosen, and a busy one answers its own JSON 503 (see the README for the trade-offs)."})
    boolean tcp;

    @Option(names = "--snippet", description = "Only the upstream and server blocks, for an existing NGINX (conf.d).")
    boolean snippet;

    @Option(names = {"-o", "--output"}, description = "Write to this file (replaced whole) instead of printing.")
    Path output;

    @Override
    public Integer call() {
        NginxConfig config;
        try {
            config = new NginxConfig(instances, basePort, host, listen, connsEach, retryAfter, tcp);
        } catch (IllegalArgumentException e) {
            System.err.println("flow nginx: " + e.getMessage());
            return 2;
        }
        String command = "flow nginx --instances " + instances + " --base-port " + basePort + " --listen " + listen
                + " --host " + host + (connsEach != 1 ? " --conns-per-instance " + connsEach : "")
                + (tcp ? " --tcp" : "") + (snippet ? " --snippet" : "");
        String text = snippet ? config.snippet(command) : config.standalone(command);
        if (output == null) {
            System.out.print(text);
            System.out.flush();
            return 0;
        }
        try {
            Path absolute = output.toAbsolutePath();
            Files.createDirectories(absolute.getParent());
            Path temp = Files.createTempFile(absolute.getParent(), ".nginx", ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("flow nginx: cannot write " + output + ": " + e.getMessage());
            return 1;
        }
        System.err.println("flow nginx: wrote " + output + " (" + instances + " instances on ports " + basePort + ".."
                + (basePort + instances - 1) + ", NGINX on " + listen + ")");
        return 0;
    }
}
