package dev.flowgraph.cli.nginx;

import java.util.ArrayList;
import java.util.List;

/**
 * An NGINX configuration that spreads {@code POST /prompt} (and the other routes) over several headless
 * Flowgraph instances. Each instance streams one answer at a time, so NGINX sends it at most one request
 * ({@code max_conns}); a busy (503) or dead instance is skipped before a byte reaches the client; when every
 * instance is busy or down the client gets our JSON 503 with Retry-After, not NGINX's HTML page.
 *
 * @param instances   how many instances, on consecutive ports from {@code basePort}
 * @param host        where the instances listen
 * @param listen      the port NGINX listens on
 * @param connsEach   streams each instance takes at once (its API element's concurrency)
 * @param retryAfter  seconds a turned-away client is told to wait
 * @param tcp         layer 4 (NGINX's stream module): each connection's bytes pass through unchanged, so every
 *                    client reads each event as the instance wrote it; see {@link #streamBlocks()}
 */
public record NginxConfig(int instances, int basePort, String host, int listen, int connsEach, int retryAfter,
                          boolean tcp) {
    /** Where Debian's package libnginx-mod-stream puts the stream module. */
    public static final String STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";
    /** The upstream's name, also the shared memory zone that makes max_conns hold across NGINX workers. */
    static final String UPSTREAM = "flowgraph";

    public NginxConfig {
        if (instances < 1) {
            throw new IllegalArgumentException("--instances must be at least 1");
        }
        if (basePort < 1 || basePort + instances - 1 > 65_535) {
            throw new IllegalArgumentException("ports " + basePort + ".." + (basePort + instances - 1)
                    + " are not all valid TCP ports");
        }
        if (listen < 1 || listen > 65_535) {
            throw new IllegalArgumentException("--listen must be a TCP port, not " + listen);
        }
        if (connsEach < 1) {
            throw new IllegalArgumentException("--conns-per-instance must be at least 1");
        }
        if (!host.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            throw new IllegalArgumentException("--host must be a host name or address, not '" + host + "'");
        }
    }

    public NginxConfig(int instances, int basePort, String host, int listen, int connsEach, int retryAfter) {
        this(instances, basePort, host, listen, connsEach, retryAfter, false);
    }

    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            ports.add(basePort + i);
        }
        return ports;
    }

    /**
     * A whole nginx.conf, run as {@code nginx -p DIR -c nginx.conf}: its pid file, logs and temporary files
     * stay under DIR, so it needs no root and leaves the system's NGINX alone.
     */
    public String standalone(String command) {
        return header(command)
                + "# Run it with: nginx -p <a directory with a logs/ folder> -c <this file>\n"
                + (tcp ? "# Needs NGINX's stream module (Debian: apt-get install -y libnginx-mod-stream).\n"
                        + "load_module " + STREAM_MODULE + ";\n" : "")
                + "worker_processes auto;\n"
                + "pid nginx.pid;\n"
                + "error_log logs/error.log warn;\n"
                + "\n"
                + "events {\n"
                + "    worker_connections 1024;\n"
                + "}\n"
                + "\n"
                + (tcp ? "stream {\n" + indent(streamBlocks()) + "}\n" : httpContext());
    }

    private String httpContext() {
        return "http {\n"
                + "    access_log logs/access.log;\n"
                + "    client_body_temp_path body_temp;\n"
                + "    proxy_temp_path proxy_temp;\n"
                + "    fastcgi_temp_path fastcgi_temp;\n"
                + "    uwsgi_temp_path uwsgi_temp;\n"
                + "    scgi_temp_path scgi_temp;\n"
                + "\n"
                + indent(blocks())
                + "}\n";
    }

    /**
     * Just the upstream and server blocks, to drop into an existing setup: for HTTP into the http context (e.g.
     * /etc/nginx/conf.d/), for {@code --tcp} into a stream context.
     */
    public String snippet(String command) {
        return header(command) + (tcp ? "# For NGINX's stream {} context (not conf.d/, which is inside http {}).\n"
                + streamBlocks() : blocks());
    }

    /**
     * Layer 4: NGINX passes each connection's bytes through unchanged, so HTTP chunks (one per event) reach the client
     * as the instance wrote them; it cannot look at HTTP, so it picks the instance with the fewest connections and an
     * instance that is busy answers its own JSON 503.
     */
    private String streamBlocks() {
        StringBuilder b = new StringBuilder();
        b.append("upstream ").append(UPSTREAM).append(" {\n");
        b.append("    # The instance with the fewest open connections: a busy one is avoided while another is free.\n");
        b.append("    least_conn;\n");
        b.append("    zone ").append(UPSTREAM).append(" 64k;\n");
        for (int port : ports()) {
            b.append("    server ").append(hostForUrl()).append(':').append(port).append(" max_fails=1 fail_timeout=5s;\n");
        }
        b.append("}\n\n");
        b.append("server {\n");
        b.append("    listen ").append(listen).append(";\n");
        b.append("    proxy_pass ").append(UPSTREAM).append(";\n");
        b.append("    # An unreachable instance is skipped for the next one before any byte is passed.\n");
        b.append("    proxy_connect_timeout 2s;\n");
        b.append("    proxy_next_upstream on;\n");
        b.append("    # Idle time allowed between bytes; an idle stream still gets keep-alive comments.\n");
        b.append("    proxy_timeout 3600s;\n");
        b.append("}\n");
        return b.toString();
    }

    private static String header(String command) {
        return "# Flowgraph behind NGINX, written by: " + command + "\n";
    }

    private String blocks() {
        StringBuilder b = new StringBuilder();
        b.append("upstream ").append(UPSTREAM).append(" {\n");
        b.append("    # Shared by all NGINX workers, so that max_conns counts streams across them.\n");
        b.append("    zone ").append(UPSTREAM).append(" 64k;\n");
        for (int port : ports()) {
            b.append("    server ").append(hostForUrl()).append(':').append(port).append(" max_conns=").append(connsEach)
                    .append(" max_fails=1 fail_timeout=5s;\n");
        }
        b.append("}\n\n");
        b.append("server {\n");
        b.append("    listen ").append(listen).append(";\n");
        b.append("    client_max_body_size 64m;\n\n");
        b.append("    # Every instance busy or down: the JSON error our instances give, never an HTML page.\n");
        b.append("    error_page 502 503 504 = @unavailable;\n\n");
        b.append("    location / {\n");
        b.append("        proxy_pass http://").append(UPSTREAM).append(";\n");
        b.append("        proxy_http_version 1.1;\n");
        b.append("        proxy_set_header Connection \"\";\n");
        b.append("        proxy_set_header Host $host;\n");
        b.append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
        b.append("        proxy_set_header X-Forwarded-Proto $scheme;\n");
        b.append("        # Server-sent events go out as they come: no buffering, no cache.\n");
        b.append("        proxy_buffering off;\n");
        b.append("        proxy_cache off;\n");
        b.append("        add_header X-Accel-Buffering no always;\n");
        b.append("        # A story can take a while; an idle stream still gets keep-alive comments.\n");
        b.append("        proxy_connect_timeout 2s;\n");
        b.append("        proxy_read_timeout 3600s;\n");
        b.append("        proxy_send_timeout 3600s;\n");
        b.append("        send_timeout 3600s;\n");
        b.append("        # A busy (503) or unreachable instance has sent nothing yet: try the next one. POST is\n");
        b.append("        # safe to resend here because an instance that answers 503 never started the run.\n");
        b.append("        proxy_next_upstream error timeout http_503 non_idempotent;\n");
        b.append("        proxy_next_upstream_timeout 10s;\n");
        b.append("    }\n\n");
        b.append("    location @unavailable {\n");
        b.append("        default_type application/json;\n");
        b.append("        add_header Retry-After ").append(retryAfter).append(" always;\n");
        b.append("        return 503 '{\"error\":{\"message\":\"every Flowgraph instance is busy or down; retry after ")
                .append(retryAfter).append(" s\",\"type\":\"server_busy\"}}';\n");
        b.append("    }\n");
        b.append("}\n");
        return b.toString();
    }

    private String hostForUrl() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String indent(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                b.append("    ").append(line);
            }
            b.append('\n');
        }
        return b.substring(0, b.length() - 1);
    }
}
