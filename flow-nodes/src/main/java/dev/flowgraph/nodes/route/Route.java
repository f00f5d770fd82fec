package dev.flowgraph.nodes.route;

import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The behaviour of a routing node (Switch, If): per run, the first case whose rule holds takes the stream, the
 * others get a not-taken mark. A stream is held only until its rules can decide: rules on the first characters
 * decide on the first pieces, the rest on the whole text. Used on the mailbox only.
 */
final class Route implements NodeBehavior {
    /** A labelled rule; the label is the output port. */
    record Case(String label, Rule rule) {
    }

    private final NodeContext context;
    private final List<Case> cases;
    private final String otherwise;
    private final boolean everyMatch;
    private final Map<String, Outlet> outlets = new LinkedHashMap<>();
    private final Map<Run, Pending> pending = new HashMap<>();

    /**
     * @param otherwise  the output that takes what no case takes
     * @param everyMatch every case that holds takes the stream (parallel branches), not only the first
     */
    Route(NodeContext context, List<Case> cases, String otherwise, boolean everyMatch) {
        this.context = context;
        this.cases = cases;
        this.otherwise = otherwise;
        this.everyMatch = everyMatch;
        for (Case c : cases) {
            outlets.put(c.label(), context.output(c.label()));
        }
        outlets.put(otherwise, context.output(otherwise));
    }

    /** A run's stream: held while its branch is not chosen, then passed on to the chosen output. */
    private static final class Pending {
        final List<Packet> held = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        Object whole;
        List<Outlet> chosen;
    }

    @Override
    public void receive(String inputPort, Packet packet) {
        Run run = packet.run();
        if (packet instanceof Packet.Failure) {
            pending.remove(run);
            context.emitAll(packet);
            return;
        }
        Pending p = pending.computeIfAbsent(run, r -> new Pending());
        boolean complete = packet.isTerminal();
        if (complete) {
            pending.remove(run);
        }
        if (p.chosen != null) {
            for (Outlet out : p.chosen) {
                out.emit(packet);
            }
            return;
        }
        p.held.add(packet);
        if (packet instanceof Packet.Delta delta) {
            if (delta.value() instanceof String s) {
                p.text.append(s);
            } else {
                p.whole = delta.value();
            }
        }
        // A value that is not text (a conversation, JSON) comes whole in one piece: decide on it at once.
        List<String> labels = choose(p.whole != null ? p.whole : p.text.toString(), complete || p.whole != null);
        if (labels == null) {
            return;
        }
        run.trace().note(context.nodeId(), "branch", String.join(", ", labels));
        // The marks go first, on this thread, while no token is on its way yet: sent later they would meet the
        // chosen branch's first token at the join and make it wait for another thread (measured: +0.5 ms to it).
        p.chosen = new ArrayList<>(labels.size());
        for (Map.Entry<String, Outlet> out : outlets.entrySet()) {
            if (labels.contains(out.getKey())) {
                p.chosen.add(out.getValue());
            } else {
                out.getValue().emit(new Packet.NotTaken(run, context.nodeId(), null));
            }
        }
        for (Packet held : p.held) {
            for (Outlet out : p.chosen) {
                out.emit(held);
            }
        }
        p.held.clear();
    }

    /**
     * The labels of the cases that take the run: the first that holds (or, with every match, all that hold), the
     * fallback when none does; null while a case that matters cannot tell yet.
     */
    private List<String> choose(Object value, boolean complete) {
        List<String> taken = new ArrayList<>(1);
        for (Case c : cases) {
            switch (c.rule().decide(value, complete)) {
                case TRUE:
                    if (!everyMatch) {
                        return List.of(c.label());
                    }
                    taken.add(c.label());
                    break;
                case UNKNOWN:
                    return null; // an earlier case must be decided before a later one may win
                default:
                    break;
            }
        }
        return taken.isEmpty() ? List.of(otherwise) : taken;
    }
}
