package io.clipguard.tuning;

import static io.clipguard.tuning.PlotFrame.x;
import static io.clipguard.tuning.PlotFrame.y;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws a reliability diagram as a PNG: per confidence bin, how often reviewers said the label applies,
 * before and after calibration; a calibrated model sits on the diagonal.
 */
public final class ReliabilityPlot {

    private static final int BINS = 10;
    private static final Color BEFORE = new Color(200, 90, 60);
    private static final Color AFTER = new Color(30, 90, 200);

    private ReliabilityPlot() {}

    public static void write(
            Path file, List<Calibration.Pair> before, List<Calibration.Pair> after, double eceBefore, double eceAfter)
            throws IOException {
        String title =
                String.format(Locale.ROOT, "calibration: expected error %.3f before, %.3f after", eceBefore, eceAfter);
        PlotFrame.write(file, title, "score (confidence)", "fraction that applies", g -> {
            g.setColor(Color.GRAY);
            g.drawLine(x(0), y(0), x(1), y(1));
            bars(g, before, BEFORE, 0);
            bars(g, after, AFTER, 1);
            g.setColor(BEFORE);
            g.drawString("before", x(0) + 10, y(1) + 16);
            g.setColor(AFTER);
            g.drawString("after", x(0) + 60, y(1) + 16);
        });
    }

    private static void bars(Graphics2D g, List<Calibration.Pair> pairs, Color color, int slot) {
        int[] counts = new int[BINS];
        int[] applies = new int[BINS];
        for (Calibration.Pair pair : pairs) {
            int bin = Math.min(BINS - 1, (int) (pair.probability() * BINS));
            counts[bin]++;
            applies[bin] += pair.applies() ? 1 : 0;
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(1));
        int width = (x(1.0 / BINS) - x(0)) / 2 - 2;
        for (int bin = 0; bin < BINS; bin++) {
            if (counts[bin] > 0) {
                int left = x((double) bin / BINS) + 2 + slot * width;
                int top = y((double) applies[bin] / counts[bin]);
                g.fillRect(left, top, width, y(0) - top);
            }
        }
    }
}
