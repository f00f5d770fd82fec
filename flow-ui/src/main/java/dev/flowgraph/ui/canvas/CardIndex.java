package dev.flowgraph.ui.canvas;

import javafx.geometry.Bounds;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The cards sorted by their left edge, so that finding those a wire could meet costs a binary search, not a pass
 * over every card of a big flow. Rebuilt lazily after cards move.
 */
final class CardIndex {
    private final Collection<NodeCard> cards;
    private NodeCard[] byLeft = new NodeCard[0];
    private double[] lefts = new double[0];
    private boolean stale = true;

    CardIndex(Collection<NodeCard> cards) {
        this.cards = cards;
    }

    /** Cards moved, came or went. */
    void invalidate() {
        stale = true;
    }

    /** The visible cards whose boxes reach into {@code [left, right]} horizontally. */
    List<Bounds> between(double left, double right) {
        if (stale) {
            byLeft = cards.toArray(new NodeCard[0]);
            java.util.Arrays.sort(byLeft, Comparator.comparingDouble(NodeCard::getLayoutX));
            lefts = new double[byLeft.length];
            for (int i = 0; i < byLeft.length; i++) {
                lefts[i] = byLeft[i].getLayoutX();
            }
            stale = false;
        }
        // Every card is NodeGeometry.WIDTH wide: those reaching `left` start at left - WIDTH or later.
        int i = firstAtOrAfter(left - NodeGeometry.WIDTH);
        List<Bounds> found = new ArrayList<>();
        for (; i < byLeft.length && lefts[i] <= right; i++) {
            NodeCard card = byLeft[i];
            if (card.isVisible()) {
                found.add(card.box());
            }
        }
        return found;
    }

    private int firstAtOrAfter(double x) {
        int lo = 0;
        int hi = lefts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lefts[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
