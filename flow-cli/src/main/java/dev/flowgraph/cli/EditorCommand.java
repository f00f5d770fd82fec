package dev.flowgraph.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "editor", description = "Opens the desktop flow editor, with FILE if given.")
final class EditorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "A flow file (*.flow.json) to open.")
    Path file;

    @Option(names = "--screenshot", paramLabel = "PNG", hidden = true,
            description = "Writes a picture of the window to PNG once it has rendered, then quits (for the docs).")
    Path screenshot;

    @Override
    public Integer call() {
        if (file != null && !Files.isRegularFile(file)) {
            spec.commandLine().getErr().println("No such flow file: " + file);
            return 2;
        }
        String display = System.getenv("DISPLAY");
        if ((display == null || display.isBlank()) && System.getenv("WAYLAND_DISPLAY") == null
                && System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            spec.commandLine().getErr().println("The editor needs a display (DISPLAY is not set). "
                    + "Headless commands (serve, run, validate, nodes) work without one; "
                    + "on a server, try: xvfb-run -a ./flow editor");
            return 2;
        }
        // Loaded only here, so the headless commands never touch JavaFX.
        dev.flowgraph.ui.EditorLauncher.launch(file, screenshot);
        return 0;
    }
}
