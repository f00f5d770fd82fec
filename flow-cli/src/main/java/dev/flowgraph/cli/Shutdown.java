package dev.flowgraph.cli;

import dev.flowgraph.api.http.ApiServer;
import dev.flowgraph.core.run.FlowRuntime;
import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How {@code flow serve} ends. SIGTERM (a service manager, a container, a load balancer rotating instances)
 * drains: no new requests, the streams in flight finish, exit 0. Ctrl-C and other exits stop at once, ending the
 * streams in flight with an error event.
 */
final class Shutdown {
    private final FlowRuntime runtime;
    private final ApiServer server;
    private final Duration drainTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();

    Shutdown(FlowRuntime runtime, ApiServer server, Duration drainTimeout) {
        this.runtime = runtime;
        this.server = server;
        this.drainTimeout = drainTimeout;
    }


    /**
     * Handles SIGTERM ourselves: the JVM's own handling would run the shutdown hooks and exit 143 without waiting
     * for the streams in flight.
     */
    void drainOnSigterm() {
        Signal.handle(new Signal("TERM"), signal -> {
            Thread drain = new Thread(this::drainAndExit, "flow-drain");
            drain.start();
        });
    }

    private void drainAndExit() {
        System.err.println("flow serve: SIGTERM, finishing the streams in flight (up to " + drainTimeout.toSeconds()
                + " s)");
        int code = 0;
        try {
            int cut = server.drain(drainTimeout);
            if (cut > 0) {
                System.err.println("flow serve: ended " + cut + " stream(s) still running after "
                        + drainTimeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = 1;
        }
        now();
        System.err.println("flow serve: stopped");
        System.exit(code); // llama.cpp may leave a native thread that would keep the JVM alive
    }

    /** Stops the flow (once, whoever asks first). */
    void now() {
        if (closed.compareAndSet(false, true)) {
            System.err.println("flow serve: stopping");
            runtime.close();
            runtime.options().store().close(); // after the runs: their last records are written first
        }
    }
}
