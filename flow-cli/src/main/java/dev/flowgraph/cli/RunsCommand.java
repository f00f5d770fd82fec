package dev.flowgraph.cli;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.store.RunJson;
import dev.flowgraph.core.store.RunRecord;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.store.StoreUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "runs", description = {"Lists the runs that served flows recorded, newest first.",
        "'flow runs show ID' prints one run with its trace."},
        subcommands = RunsCommand.Show.class)
final class RunsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Option(names = "--store", paramLabel = "URL", description = "The store to read (default: $FLOW_STORE, else the "
            + "SQLite file flow serve uses, data/flowgraph.db).")
    String store;

    @Option(names = "--flow", paramLabel = "NAME", description = "Only this flow's runs.")
    String flow;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "One JSON object per line (id, flow, status, started, session, usage, ...).")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1) {
            System.err.println("flow runs: --limit must be at least 1");
            return 2;
        }
        return withStore(store, s -> {
            List<RunRecord> runs = s.runs().list(flow, limit);
            PrintStream out = System.out;
            if (json) {
                runs.forEach(r -> out.println(RunJson.text(RunJson.of(r, false))));
                return 0;
            }
            if (runs.isEmpty()) {
                out.println("no runs recorded" + (flow == null ? "" : " for flow '" + flow + "'") + " in " + s.location());
                return 0;
            }
            out.printf("%-36s  %-19s  %-18s  %-11s  %-16s  %7s  %8s%n", "ID", "STARTED", "FLOW", "STATUS", "SESSION",
                    "TOKENS", "MS");
            for (RunRecord r : runs) {
                out.printf("%-36s  %-19s  %-18s  %-11s  %-16s  %7d  %8s%n", r.id(), TIME.format(Instant.ofEpochMilli(r.started())),
                        cut(r.flow(), 18), r.status().wireName(), r.session() == null ? "-" : cut(r.session(), 16),
                        r.usage().totalTokens(), r.durationMillis() < 0 ? "-" : String.valueOf(r.durationMillis()));
            }
            return 0;
        });
    }

    @Command(name = "show", description = "Prints one run: how it ended, what came in and went out, and its trace as a tree.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "The run's id (from flow runs).")
        String id;

        @Option(names = "--store", paramLabel = "URL", description = "The store to read (as for flow runs).")
        String store;

        @Option(names = "--json", description = "The run as JSON, as GET /runs/{id} answers it.")
        boolean json;

        @Override
        public Integer call() {
            return withStore(store, s -> {
                Optional<RunRecord> found = s.runs().find(id);
                if (found.isEmpty()) {
                    System.err.println("flow runs show: no run '" + id + "' in " + s.location());
                    return 1;
                }
                if (json) {
                    System.out.println(RunJson.text(RunJson.of(found.get(), true)));
                } else {
                    print(found.get(), System.out);
                }
                return 0;
            });
        }
    }

    static void print(RunRecord r, PrintStream out) {
        out.println("run " + r.id() + " of flow '" + r.flow() + "': " + r.status().wireName()
                + (r.finishReason() == null || r.finishReason().equals(r.status().wireName()) ? ""
                : " (" + r.finishReason() + ")")
                + (r.durationMillis() < 0 ? ", still running" : " in " + r.durationMillis() + " ms"));
        out.println("  started " + Instant.ofEpochMilli(r.started()) + " on " + r.instance() + ", " + r.route()
                + ", key '" + r.keyName() + "'" + (r.session() == null ? "" : ", session " + r.session()));
        out.println("  tokens: " + r.usage().promptTokens() + " prompt + " + r.usage().completionTokens() + " completion");
        if (r.error() != null) {
            out.println("  error: " + r.error());
        }
        if (r.input() != null) {
            out.println("  input:");
            for (ChatMessage m : r.input()) {
                out.println("    " + m.role().wireName() + ": " + oneLine(m.content()));
            }
        }
        if (r.output() != null) {
            out.println("  output" + (r.outputCut() ? " (first " + r.output().length() + " of " + r.outputChars()
                    + " characters)" : "") + ": " + oneLine(r.output()));
        }
        out.println("  trace:");
        Set<String> groups = new HashSet<>();
        for (NodeTrace t : r.trace()) {
            String[] path = t.nodeId().split("/");
            StringBuilder group = new StringBuilder();
            for (int i = 0; i < path.length - 1; i++) {
                group.append(path[i]).append('/');
                if (groups.add(group.toString())) {
                    out.println("    " + "  ".repeat(i) + path[i] + "/");
                }
            }
            String indent = "    " + "  ".repeat(path.length - 1);
            out.printf("%s%-" + Math.max(1, 24 - indent.length() + 4) + "s %8.1f ms → %8.1f ms%s%s%s%n", indent,
                    path[path.length - 1], t.startNanos() / 1e6, t.endNanos() / 1e6,
                    t.tokensIn() + t.tokensOut() == 0 ? "" : "  tokens " + t.tokensIn() + " in, " + t.tokensOut() + " out",
                    t.notes().isEmpty() ? "" : "  " + t.notes(), t.error() == null ? "" : "  ERROR " + t.error());
        }
    }

    private static String oneLine(String text) {
        String flat = text.replace("\n", "\\n");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    interface StoreWork {
        int run(Store store);
    }

    private static int withStore(String option, StoreWork work) {
        String url = StoreOption.choose(option);
        if (url.equalsIgnoreCase("none")) {
            System.err.println("flow runs: --store none keeps no runs");
            return 2;
        }
        try (Store s = StoreOption.open(url)) {
            return work.run(s);
        } catch (IllegalArgumentException | StoreUnavailableException e) {
            System.err.println("flow runs: " + e.getMessage());
            return 2;
        }
    }
}
