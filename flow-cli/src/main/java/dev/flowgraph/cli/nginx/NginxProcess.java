package dev.flowgraph.cli.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the system's NGINX in the foreground with a {@link NginxConfig#standalone} config under a directory of its own. */
public final class NginxProcess {
    private NginxProcess() {
    }

    /** Where Debian (and most systems) put the binary; a PATH without /usr/sbin still finds it. */
    public static Path binary() {
        for (String candidate : new String[] {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("nginx is not installed (Debian: apt-get install -y nginx)");
    }

    /**
     * Writes {@code prefix/nginx.conf} and starts NGINX on it; its logs go to {@code prefix/logs}.
     *
     * @param writtenBy what the config's header names as its author
     */
    public static Process start(Path prefix, NginxConfig config, String writtenBy) throws IOException {
        Files.createDirectories(prefix.resolve("logs"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config.standalone(writtenBy));
        // As root, NGINX's workers would drop to 'nobody', who may not enter a private temporary directory.
        String globals = "root".equals(System.getProperty("user.name")) ? "daemon off; user root;" : "daemon off;";
        return new ProcessBuilder(binary().toString(), "-p", prefix.toString(), "-c", conf.toString(), "-g", globals)
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
    }
}
