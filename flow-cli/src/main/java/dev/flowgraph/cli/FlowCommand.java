package dev.flowgraph.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flow} command. Each subcommand is one class; this one only names them. */
@Command(name = "flow", mixinStandardHelpOptions = true, version = "Flowgraph 0.1.0",
        description = "Runs, serves and checks Flowgraph flows (*.flow.json).",
        subcommands = {ServeCommand.class, RunCommand.class, McpCommand.class, ValidateCommand.class, NodesCommand.class,
                EditorCommand.class, NginxCommand.class, RunsCommand.class,
                CommandLine.HelpCommand.class})
public final class FlowCommand {

    public static void main(String[] args) {
        int code = execute(args);
        if (code != ServeCommand.KEEP_RUNNING) {
            // llama.cpp can leave a native non-daemon thread behind: end the process explicitly.
            System.exit(code);
        }
    }

    static int execute(String... args) {
        return new CommandLine(new FlowCommand()).execute(args);
    }
}
