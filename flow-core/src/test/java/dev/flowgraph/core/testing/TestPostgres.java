package dev.flowgraph.core.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL server from Debian's packages ({@code apt-get install -y postgresql}), on a free loopback
 * port with its data in a temporary folder; as root it runs as the {@code postgres} user (initdb refuses root).
 * A missing installation fails the test with what to install, never skips it.
 */
public final class TestPostgres implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;

    private TestPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    public static TestPostgres start() throws Exception {
        Path bin = findBin();
        Path dir = Files.createTempDirectory("flow-pg-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        TestPostgres pg = new TestPostgres(bin, dir, port);
        pg.asPostgres(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                "-U", "postgres", "--no-sync", "-E", "UTF8"));
        pg.startServer();
        pg.asPostgres(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "flowgraph"));
        return pg;
    }

    /** A store URL for {@code flow serve --store}. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/flowgraph?user=postgres";
    }

    public int port() {
        return port;
    }

    /** Starts the server (again, after {@link #stopServer}). */
    public void startServer() throws Exception {
        asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "30", "-o", "-p " + port + " -k " + dir
                        + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start"));
    }

    /** Stops the server at once (fast shutdown: open connections are cut). */
    public void stopServer() throws Exception {
        asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m", "fast",
                "stop"));
    }

    @Override
    public void close() throws Exception {
        try {
            stopServer();
        } catch (Exception ignored) {
            // already stopped
        }
        run(List.of("rm", "-rf", dir.toString()));
    }

    private void asPostgres(List<String> command) throws Exception {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path findBin() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (var versions = Files.list(base)) {
                var bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .sorted().reduce((a, b) -> b);
                if (bin.isPresent()) {
                    return bin.get();
                }
            }
        }
        throw new IllegalStateException("PostgreSQL is needed for this test and was not found under " + base
                + ": install it with 'apt-get install -y postgresql' (.ci/run does)");
    }
}
