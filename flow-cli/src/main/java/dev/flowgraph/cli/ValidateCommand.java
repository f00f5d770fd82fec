package dev.flowgraph.cli;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.validate.FlowValidator;
import dev.flowgraph.core.validate.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "validate", description = "Checks a flow and lists every problem; exits 1 if there is any.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The flow file (*.flow.json).")
    Path file;

    @Override
    public Integer call() {
        FlowDocument flow = FlowFileArgument.load(spec, file);
        List<Problem> problems = new FlowValidator(NodeRegistry.discover()).validate(flow,
                dev.flowgraph.core.node.PortScope.of(file));
        long errors = problems.stream().filter(p -> !p.isWarning()).count();
        if (errors == 0) {
            System.out.println(file + ": flow '" + flow.name() + "' is valid (" + flow.nodes().size() + " nodes, "
                    + flow.wires().size() + " wires)" + (problems.isEmpty() ? "" : ", with " + problems.size()
                    + " warning" + (problems.size() == 1 ? "" : "s") + ":"));
        } else {
            System.out.println(file + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":");
        }
        for (Problem p : problems) {
            System.out.println("  - " + p + "  [" + p.kind().name().toLowerCase(java.util.Locale.ROOT) + "]");
        }
        return errors == 0 ? 0 : 1;
    }
}
