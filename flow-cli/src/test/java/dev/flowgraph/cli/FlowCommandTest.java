package dev.flowgraph.cli;

import dev.flowgraph.cli.nginx.NginxProcess;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The flow command as a user types it (in-process, so no JVM start per case). */
class FlowCommandTest {
    private static final Path EXAMPLE = TestModels.projectRoot().resolve("examples/story-api.flow.json");

    private record Output(int code, String out, String err) {
    }

    private static synchronized Output flow(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = FlowCommand.execute(args);
            return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void validateAcceptsTheExample() {
        Output o = flow("validate", EXAMPLE.toString());
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("is valid (4 nodes, 4 wires)");
    }

    @Test
    void validateListsEveryProblemAndExitsOne(@TempDir Path dir) throws Exception {
        var broken = FlowFiles.load(EXAMPLE).withSetting("llm", "temperature", 9.0).withSetting("api", "port", -1);
        broken = new dev.flowgraph.core.flow.FlowDocument(1, "broken", "", broken.nodes(),
                broken.wires().stream().filter(w -> !w.to().node().equals("api") || !w.to().port().equals("keepAlive")).toList());
        Path file = dir.resolve("broken.flow.json");
        FlowFiles.save(broken, file);
        Output o = flow("validate", file.toString());
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.out()).contains("3 problems").contains("temperature").contains("port").contains("keepAlive");
    }

    @Test
    void aFileThatIsNotAFlowSaysWhereItIsWrong(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.flow.json");
        Files.writeString(file, "{\"format\": 1, \"nodes\": [{\"id\": \"a\"}]}");
        Output o = flow("validate", file.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("$.nodes[0].type").contains("missing");
    }

    @Test
    void nodesListsEveryTypeWithPortsAndSettings() {
        Output o = flow("nodes");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("initiator — Initiator", "prompt.chat — Chat prompt", "llm.local — Local LLM",
                "api.element — API element [Flow] (loop boundary)", "set  threads: integer or auto", "apiKey: string, required, secret",
                "in   keepAlive (signal, required)");
    }

    @Test
    void portsThatFollowSettingsShowInNodesAndValidate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.flow.json");
        Files.writeString(file, """
                {"format": 1, "name": "t", "nodes": [
                  {"id": "in", "type": "flow.input", "settings": {}},
                  {"id": "t", "type": "text.template", "settings": {"template": "{{a}} and {{b}}"}},
                  {"id": "out", "type": "flow.output", "settings": {}}],
                 "wires": [{"from": "in.value", "to": "t.a"}, {"from": "in.value", "to": "t.b"},
                           {"from": "t.out", "to": "out.value"}]}""");
        assertThat(flow("nodes", "--flow", file.toString()).out())
                .contains("t — Template (text.template)\n  in   a (any, required) — Fills {{a}}\n"
                        + "  in   b (any, required) — Fills {{b}}\n  out  out (text)");
        assertThat(flow("validate", file.toString()).code()).isZero();

        Files.writeString(file, Files.readString(file).replace("{{a}} and {{b}}", "{{a}} and {{c}}"));
        assertThat(flow("nodes", "--flow", file.toString()).out())
                .contains("  in   a (any, required) — Fills {{a}}\n  in   c (any, required) — Fills {{c}}\n");
        Output o = flow("validate", file.toString());
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.out()).contains("node 't': Template has no input 'b' (inputs: [a, c])",
                "node 't': required input 'c' is not wired");
    }

    @Test
    void aBranchThatCannotAnswerIsAWarningNotAnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.flow.json");
        Files.writeString(file, """
                {"format": 1, "name": "w", "nodes": [
                  {"id": "initiator", "type": "initiator", "settings": {}},
                  {"id": "api", "type": "api.element", "settings": {"apiKey": "k"}},
                  {"id": "route", "type": "route.if", "settings": {"condition": "ends with ?"}}],
                 "wires": [{"from": "initiator.signal", "to": "api.keepAlive"}, {"from": "api.request", "to": "route.in"},
                           {"from": "route.true", "to": "api.response"}]}""");
        Output o = flow("validate", file.toString());
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("is valid (3 nodes, 3 wires), with 1 warning:",
                "  - warning: node 'route': output 'false' is not wired", "[unanswered_branch]");
    }

    @Test
    void runStreamsAStoryThroughTheFlowInProcess() throws Exception {
        Path flowFile = Files.createTempFile("story", ".flow.json");
        FlowFiles.save(FlowFiles.load(EXAMPLE).withSetting("llm", "modelPath", TestModels.stories().toString())
                .withSetting("llm", "maxTokens", 40), flowFile);
        Output o = flow("run", flowFile.toString(), "--prompt", "Once upon a time,");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).isNotBlank();
        assertThat(o.err()).contains("completion tokens");
        Files.delete(flowFile);
    }

    @Test
    void theNodeReferenceInDocsIsUpToDate() throws Exception {
        String generated = NodesCommand.markdown(dev.flowgraph.core.node.NodeRegistry.discover().descriptors());
        assertThat(Files.readString(TestModels.projectRoot().resolve("docs/nodes.md")))
                .as("docs/nodes.md is stale: regenerate it with ./flow nodes --markdown > docs/nodes.md")
                .isEqualTo(generated);
    }

    /** Runs Debian's {@code nginx -t} on a config under {@code prefix}: what an operator does before reloading. */
    private static String nginxTest(Path prefix, Path conf) throws Exception {
        Files.createDirectories(prefix.resolve("logs"));
        Process p = new ProcessBuilder(NginxProcess.binary().toString(), "-t", "-p", prefix.toString(), "-c",
                conf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void nginxWritesAStandaloneConfigThatNginxAccepts(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "an older config, replaced whole");
        Output o = flow("nginx", "--instances", "2", "--base-port", "6200", "--listen", "6300", "-o", conf.toString());
        assertThat(o.code()).as(o.err()).isZero();
        String text = Files.readString(conf);
        assertThat(text).contains("server 127.0.0.1:6200 max_conns=1", "server 127.0.0.1:6201 max_conns=1", "listen 6300;",
                "proxy_buffering off;", "proxy_next_upstream error timeout http_503 non_idempotent;")
                .doesNotContain("6202").doesNotContain("older config");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("nginx.conf");
        }
        assertThat(nginxTest(dir, conf)).contains("test is successful");
    }

    @Test
    void nginxSnippetIsOnlyTheBlocksForConfD(@TempDir Path dir) throws Exception {
        Output o = flow("nginx", "--instances", "3", "--base-port", "6400", "--listen", "6500", "--snippet");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("upstream flowgraph {", "server 127.0.0.1:6402 max_conns=1", "listen 6500;")
                .doesNotContain("events {").doesNotContain("http {").doesNotContain("worker_processes");
        // Dropped into an existing NGINX's http block (as conf.d/ files are), it is a valid config.
        Path snippet = dir.resolve("flowgraph.conf");
        Files.writeString(snippet, o.out());
        Path main = dir.resolve("main.conf");
        Files.writeString(main, "pid main.pid;\nerror_log logs/error.log;\nevents {}\nhttp {\n    include " + snippet
                + ";\n}\n");
        assertThat(nginxTest(dir, main)).contains("test is successful");
    }

    @Test
    void keyHintNeverShowsTheKey() {
        assertThat(ServeCommand.keyHint("${env:FLOW_API_KEY}")).isEqualTo("$FLOW_API_KEY");
        assertThat(ServeCommand.keyHint("QWERTY123")).isEqualTo("<your API key>");
    }

    @Test
    void runOnAnIngestionFlowShowsItsProgressAndBuildsTheIndex(@TempDir Path dir) throws Exception {
        Path root = TestModels.projectRoot();
        var ingest = FlowFiles.load(root.resolve("examples/rag-ingest.flow.json"))
                .withSetting("loader", "path", root.resolve("examples/docs").toString())
                .withSetting("index", "directory", dir.resolve("index").toString());
        Path file = dir.resolve("ingest.flow.json");
        FlowFiles.save(ingest, file);
        Output o = flow("run", file.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).containsPattern("files 5/5 · chunks (\\d+) · embedded \\1 · stored \\1 +\\[\\d+\\.\\d s\\]")
                .contains("index: stored").contains("from 5 sources in " + dir.resolve("index"));
        assertThat(dir.resolve("index")).isDirectoryContaining("glob:**/segments_*");
    }

    @Test
    void runOnAnIngestionThatNeverEndsGivesUpNamingTheNodeWhereItStopped(@TempDir Path dir) throws Exception {
        Path root = TestModels.projectRoot();
        var ingest = FlowFiles.load(root.resolve("examples/rag-ingest.flow.json"))
                .withSetting("loader", "path", root.resolve("examples/docs").toString());
        // The splitter's chunks go nowhere: no node ever ends the run.
        ingest = ingest.withContent(ingest.nodes().stream().filter(n -> n.id().equals("initiator")
                        || n.id().equals("loader") || n.id().equals("splitter")).toList(),
                ingest.wires().stream().filter(w -> w.to().node().equals("loader") || w.to().node().equals("splitter"))
                        .toList());
        Path file = dir.resolve("dead-end.flow.json");
        FlowFiles.save(ingest, file);

        Output validated = flow("validate", file.toString());
        assertThat(validated.code()).as("a warning, not an error").isZero();
        assertThat(validated.out()).contains("warning: node 'splitter': its output 'chunks' is not wired: the runs "
                + "that reach it never end");

        long start = System.nanoTime();
        Output o = flow("run", "--timeout", "2", file.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("flow run: the run has not ended and made no progress for 2 s: it stopped at "
                + "node 'splitter', whose outputs are not wired");
        assertThat(seconds).as("gives up soon after the timeout").isLessThan(30);
    }

    @Test
    void runOnAFlowWithAnApiElementNeedsAPrompt() {
        Output o = flow("run", EXAMPLE.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("give the prompt to send with --prompt");
    }
}
