package dev.flowgraph.cli.scale;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for processes we start (they bind after we look, so we pick from a wide random range). */
final class Ports {
    private Ports() {
    }

    static int free() {
        return freeRun(1);
    }

    /** The first of {@code count} consecutive ports that are free now. */
    static int freeRun(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 60_000 - count);
            boolean all = true;
            for (int p = first; p < first + count && all; p++) {
                all = isFree(p);
            }
            if (all) {
                return first;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
