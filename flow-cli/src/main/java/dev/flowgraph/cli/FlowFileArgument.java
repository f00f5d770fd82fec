package dev.flowgraph.cli;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFileException;
import dev.flowgraph.core.flow.FlowFiles;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads the flow file a command was given, turning every failure into a one-line message. */
final class FlowFileArgument {
    private FlowFileArgument() {
    }

    static FlowDocument load(CommandLine.Model.CommandSpec spec, Path file) {
        try {
            return FlowFiles.load(file);
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such flow file: " + file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        } catch (FlowFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), file + ": " + e.getMessage());
        }
    }

    static Path directoryOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }
}
