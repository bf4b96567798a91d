package io.clipguard.tuning;

import static io.clipguard.tuning.PlotFrame.x;
import static io.clipguard.tuning.PlotFrame.y;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Draws a label's precision-recall curve as a PNG: the curve, the target as a dashed line and the
 * recommended threshold as a dot.
 */
public final class PrPlot {

    private PrPlot() {}

    /** Writes the plot of {@code curve} for {@code label} to {@code file}. */
    public static void write(Path file, String label, PrCurve curve, Target target, Optional<PrCurve.Point> recommended)
            throws IOException {
        String title = String.format(
                Locale.ROOT,
                "%s: precision vs recall (%d apply, %d do not)",
                label,
                curve.positives(),
                curve.negatives());
        PlotFrame.write(file, title, "recall", "precision", g -> {
            target(g, target);
            curve(g, curve);
            recommended.ifPresent(point -> marker(g, point));
        });
    }

    private static void target(Graphics2D g, Target target) {
        g.setColor(new Color(200, 60, 60));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        if (target.metric() == Target.Metric.PRECISION) {
            g.drawLine(x(0), y(target.value()), x(1), y(target.value()));
        } else {
            g.drawLine(x(target.value()), y(0), x(target.value()), y(1));
        }
        g.drawString(
                "target " + target.metric().name().toLowerCase(Locale.ROOT) + " " + target.value(),
                x(0) + 6,
                y(1) + 16);
        g.setStroke(new BasicStroke(1));
    }

    private static void curve(Graphics2D g, PrCurve curve) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(x(0), y(1));
        for (PrCurve.Point point : curve.points()) {
            path.lineTo(x(point.recall()), y(point.precision()));
        }
        g.setColor(new Color(30, 90, 200));
        g.setStroke(new BasicStroke(2f));
        g.draw(path);
        g.setStroke(new BasicStroke(1));
    }

    private static void marker(Graphics2D g, PrCurve.Point point) {
        int px = x(point.recall());
        int py = y(point.precision());
        g.setColor(new Color(20, 140, 60));
        g.fillOval(px - 6, py - 6, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString(
                String.format(
                        Locale.ROOT,
                        "threshold %.3f: precision %.2f, recall %.2f",
                        point.threshold(),
                        point.precision(),
                        point.recall()),
                Math.min(px + 10, PlotFrame.WIDTH_PX - 300),
                py - 12);
    }
}
