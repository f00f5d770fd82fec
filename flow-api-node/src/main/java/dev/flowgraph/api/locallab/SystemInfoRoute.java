package dev.flowgraph.api.locallab;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.api.sse.JsonText;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET /system/info}: the machine and the process as LocalLab reports them: CPU model and cores, memory
 * (the machine's total and available, the process's resident and heap), the loaded models, uptime and version.
 */
public final class SystemInfoRoute implements HttpHandler {
    private static final long STARTED_MILLIS = System.currentTimeMillis();
    private final ApiElementNode element;

    public SystemInfoRoute(ApiElementNode element) {
        this.element = element;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Runtime rt = Runtime.getRuntime();
        StringBuilder b = new StringBuilder(512).append("{\"cpu\":{\"model\":");
        JsonText.quote(b, cpuModel()).append(",\"cores\":").append(rt.availableProcessors()).append('}');
        b.append(",\"memory\":{\"total_bytes\":").append(meminfo("MemTotal:"))
                .append(",\"available_bytes\":").append(meminfo("MemAvailable:"))
                .append(",\"process_resident_bytes\":").append(status("VmRSS:"))
                .append(",\"heap_used_bytes\":").append(rt.totalMemory() - rt.freeMemory())
                .append(",\"heap_max_bytes\":").append(rt.maxMemory()).append('}');
        ModelJson.loaded(b.append(",\"models\":"), element.modelSlots());
        b.append(",\"uptime_seconds\":").append((System.currentTimeMillis() - STARTED_MILLIS) / 1000);
        JsonText.quote(b.append(",\"version\":"), version());
        JsonText.quote(b.append(",\"java\":"), System.getProperty("java.version"));
        JsonText.quote(b.append(",\"os\":"), System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        ModelJson.send(exchange, b.append('}'));
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the architecture is what we know
        }
        return System.getProperty("os.arch");
    }

    /** A {@code /proc/meminfo} line in bytes, or -1 where there is none. */
    private static long meminfo(String key) {
        return kilobytes(Path.of("/proc/meminfo"), key);
    }

    private static long status(String key) {
        return kilobytes(Path.of("/proc/self/status"), key);
    }

    private static long kilobytes(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static String version() {
        String v = SystemInfoRoute.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
