package dev.flowgraph.ui.canvas;

import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans where a wire runs: an S-curve from output to input when no card is in its way, otherwise out of the output,
 * along a free horizontal lane above or below the cards in between, and into the input. Return wires (into the API
 * element, to the left of where they start) always take a lane, so they never cut through the cards they return past.
 */
final class WireRouter {
    /** How far a wire runs straight out of a port before it turns. */
    static final double GAP = 18;
    /** How far a lane keeps from the cards it passes; above them, it also clears the run badges drawn there. */
    static final double CLEARANCE = 14;
    static final double CLEARANCE_ABOVE = 28;
    private static final int CURVE_SAMPLES = 24;

    private WireRouter() {
    }

    /**
     * A planned wire.
     *
     * @param points an S-curve's start, two control points and end; or a polyline's corners, ends included
     * @param curve  whether {@code points} are a cubic curve's
     */
    static final class Route {
        private final List<Point2D> points;
        private final boolean curve;
        /** Computed once: a route is tested against many cards. */
        private List<Point2D> samples;
        private Bounds reach;

        Route(List<Point2D> points, boolean curve) {
            this.points = List.copyOf(points);
            this.curve = curve;
        }

        List<Point2D> points() {
            return points;
        }

        boolean curve() {
            return curve;
        }

        /** Points along the wire, close enough together to test it against cards. */
        List<Point2D> samples() {
            if (samples == null) {
                if (!curve) {
                    samples = points;
                } else {
                    List<Point2D> out = new ArrayList<>(CURVE_SAMPLES + 1);
                    for (int i = 0; i <= CURVE_SAMPLES; i++) {
                        out.add(cubic(points, i / (double) CURVE_SAMPLES));
                    }
                    samples = out;
                }
            }
            return samples;
        }

        /** The box around the whole wire. */
        Bounds reach() {
            if (reach == null) {
                double minX = Double.MAX_VALUE;
                double minY = Double.MAX_VALUE;
                double maxX = -Double.MAX_VALUE;
                double maxY = -Double.MAX_VALUE;
                for (Point2D p : samples()) {
                    minX = Math.min(minX, p.getX());
                    minY = Math.min(minY, p.getY());
                    maxX = Math.max(maxX, p.getX());
                    maxY = Math.max(maxY, p.getY());
                }
                reach = new BoundingBox(minX, minY, maxX - minX, maxY - minY);
            }
            return reach;
        }

        /**
         * Whether the wire runs through one of its own end cards: anywhere but the short stub at its port (a return
         * wire drawn straight back across its source or target).
         */
        boolean crossesOwnEnd(Bounds box) {
            if (!reach().intersects(box)) {
                return false;
            }
            Point2D start = points.get(0);
            Point2D end = points.get(points.size() - 1);
            List<Point2D> s = samples();
            Bounds inner = shrink(box, 1);
            for (int i = 1; i < s.size(); i++) {
                Point2D a = s.get(i - 1);
                Point2D b = s.get(i);
                boolean stub = a.distance(start) < 1 || b.distance(end) < 1;
                if (!stub && segmentHits(a, b, inner)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the wire passes through the box (touching its edge does not count). */
        boolean crosses(Bounds box) {
            if (!reach().intersects(box)) {
                return false;
            }
            Bounds inner = shrink(box, 1);
            List<Point2D> s = samples();
            for (int i = 1; i < s.size(); i++) {
                if (segmentHits(s.get(i - 1), s.get(i), inner)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The S-curve every wire is drawn as when nothing stands in its way. */
    static Route curve(Point2D from, Point2D to) {
        double pull = Math.max(40, Math.abs(to.getX() - from.getX()) / 2);
        return new Route(List.of(from, new Point2D(from.getX() + pull, from.getY()),
                new Point2D(to.getX() - pull, to.getY()), to), true);
    }

    /** @param cards the bounds of every card, the wire's own two included */
    static Route route(Point2D from, Point2D to, List<Bounds> cards) {
        Route curve = curve(from, to);
        boolean forward = to.getX() - from.getX() >= 2 * GAP;
        if (forward && cards.stream().noneMatch(curve::crosses)) {
            return curve;
        }
        return aroundCards(from, to, cards).orElse(curve);
    }

    private static Optional<Route> aroundCards(Point2D from, Point2D to, List<Bounds> cards) {
        double x1 = from.getX() + GAP;
        double x2 = to.getX() - GAP;
        double left = Math.min(x1, x2);
        double right = Math.max(x1, x2);
        List<Double> lanes = new ArrayList<>(List.of(from.getY(), to.getY()));
        for (Bounds b : cards) {
            if (b.getMaxX() >= left && b.getMinX() <= right) {
                lanes.add(b.getMinY() - CLEARANCE_ABOVE);
                lanes.add(b.getMaxY() + CLEARANCE);
            }
        }
        // Nearest lanes first: the first clear one is the shortest detour, and usually one of the first few.
        lanes.sort(java.util.Comparator.comparingDouble(y -> Math.abs(y - from.getY()) + Math.abs(y - to.getY())));
        for (double y : lanes) {
            Route lane = new Route(List.of(from, new Point2D(x1, from.getY()), new Point2D(x1, y), new Point2D(x2, y),
                    new Point2D(x2, to.getY()), to), false);
            if (cards.stream().noneMatch(lane::crosses)) {
                return Optional.of(lane);
            }
        }
        return Optional.empty();
    }

    private static Point2D cubic(List<Point2D> p, double t) {
        double u = 1 - t;
        double a = u * u * u;
        double b = 3 * u * u * t;
        double c = 3 * u * t * t;
        double d = t * t * t;
        return new Point2D(a * p.get(0).getX() + b * p.get(1).getX() + c * p.get(2).getX() + d * p.get(3).getX(),
                a * p.get(0).getY() + b * p.get(1).getY() + c * p.get(2).getY() + d * p.get(3).getY());
    }

    private static Bounds shrink(Bounds b, double by) {
        return new BoundingBox(b.getMinX() + by, b.getMinY() + by, Math.max(0, b.getWidth() - 2 * by),
                Math.max(0, b.getHeight() - 2 * by));
    }

    /** Whether a segment meets a box (Liang–Barsky clipping). */
    static boolean segmentHits(Point2D a, Point2D b, Bounds box) {
        double t0 = 0;
        double t1 = 1;
        double dx = b.getX() - a.getX();
        double dy = b.getY() - a.getY();
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {a.getX() - box.getMinX(), box.getMaxX() - a.getX(), a.getY() - box.getMinY(), box.getMaxY() - a.getY()};
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) {
                    return false;
                }
            } else {
                double r = q[i] / p[i];
                if (p[i] < 0) {
                    t0 = Math.max(t0, r);
                } else {
                    t1 = Math.min(t1, r);
                }
                if (t0 > t1) {
                    return false;
                }
            }
        }
        return true;
    }
}
