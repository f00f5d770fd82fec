package dev.flowgraph.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real clients (python3 with requests, curl) the way a user would. */
final class Processes {
    private Processes() {
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** A Python 3 that has the requests package (the machine's, or Debian's python3-requests). */
    static String pythonWithRequests() throws IOException, InterruptedException {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                if (run(List.of(python, "-c", "import requests")).exitCode() == 0) {
                    return python;
                }
            } catch (IOException notThere) {
                // try the next one
            }
        }
        throw new AssertionError("No python3 with the 'requests' package: install it (apt-get install -y "
                + "python3-requests, or pip install requests). .ci/run does this on CI.");
    }
}
