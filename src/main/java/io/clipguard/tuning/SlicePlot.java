package io.clipguard.tuning;

import static io.clipguard.tuning.PlotFrame.x;
import static io.clipguard.tuning.PlotFrame.y;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws one label's slices by one key as a PNG: per slice, its false-positive rate and its recall with
 * their intervals, and the rest's rates as dashes; a slice the audit flags is named in red, one with
 * too few reviews in grey.
 */
public final class SlicePlot {

    private static final Color FPR = new Color(200, 90, 60);
    private static final Color RECALL = new Color(30, 90, 200);
    private static final int MAX_NAME_CHARS = 14;

    private SlicePlot() {}

    public static void write(Path file, SliceAudit.LabelSlices audit) throws IOException {
        List<SliceAudit.Slice> slices = audit.slices();
        String title = audit.label().id() + " by " + audit.key() + ": false-positive rate and recall";
        PlotFrame.write(file, title, audit.key(), "rate (95% interval)", false, g -> {
            for (int i = 0; i < slices.size(); i++) {
                SliceAudit.Slice slice = slices.get(i);
                double centre = (i + 0.5) / slices.size();
                double step = 0.25 / slices.size();
                rate(
                        g,
                        centre - step / 2,
                        slice.rates().falsePositiveRate(),
                        slice.rest().falsePositiveRate(),
                        FPR);
                rate(g, centre + step / 2, slice.rates().recall(), slice.rest().recall(), RECALL);
                g.setColor(
                        switch (slice.verdict()) {
                            case DIFFERS -> Color.RED;
                            case TOO_FEW -> Color.GRAY;
                            case WITHIN -> Color.BLACK;
                        });
                String name = slice.value().length() <= MAX_NAME_CHARS
                        ? slice.value()
                        : slice.value().substring(0, MAX_NAME_CHARS - 1) + "~";
                g.drawString(name, x(centre) - 3 * name.length(), y(0) + 16);
                g.drawString("n=" + slice.rates().reviewed(), x(centre) - 14, y(0) + 30);
            }
            g.setColor(FPR);
            g.drawString("false-positive rate", x(0) + 10, y(1) + 16);
            g.setColor(RECALL);
            g.drawString("recall", x(0) + 140, y(1) + 16);
            g.setColor(Color.DARK_GRAY);
            g.drawString("- - the rest", x(0) + 200, y(1) + 16);
        });
    }

    private static void rate(Graphics2D g, double at, Proportion rate, Proportion rest, Color color) {
        if (!rate.defined()) {
            return;
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(2));
        g.drawLine(x(at), y(rate.low()), x(at), y(rate.high()));
        g.fillOval(x(at) - 4, y(rate.value()) - 4, 8, 8);
        if (rest.defined()) {
            g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 3}, 0));
            g.drawLine(x(at) - 10, y(rest.value()), x(at) + 10, y(rest.value()));
        }
    }
}
