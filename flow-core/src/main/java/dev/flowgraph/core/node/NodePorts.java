package dev.flowgraph.core.node;

import java.util.List;
import java.util.Optional;

/** The input and output ports of one node, as its settings make them (see {@link NodeDescriptor#ports}). */
public record NodePorts(List<PortSpec> inputs, List<PortSpec> outputs) {

    public NodePorts {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<PortSpec> input(String port) {
        return inputs.stream().filter(p -> p.name().equals(port)).findFirst();
    }

    public Optional<PortSpec> output(String port) {
        return outputs.stream().filter(p -> p.name().equals(port)).findFirst();
    }
}
