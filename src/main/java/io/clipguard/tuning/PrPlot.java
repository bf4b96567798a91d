package io.clipguard.tuning;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Draws a label's precision-recall curve as a PNG (Java2D, works headless): the curve, the target as a
 * dashed line and the recommended threshold as a dot.
 */
public final class PrPlot {

    private static final int WIDTH_PX = 640;
    private static final int HEIGHT_PX = 480;
    private static final int MARGIN_PX = 60;

    private PrPlot() {
    }

    /** Writes the plot of {@code curve} for {@code label} to {@code file}. */
    public static void write(Path file, String label, PrCurve curve, Target target,
                             Optional<PrCurve.Point> recommended) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH_PX, HEIGHT_PX, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH_PX, HEIGHT_PX);
            axes(g);
            target(g, target);
            curve(g, curve);
            recommended.ifPresent(point -> marker(g, point));
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(String.format(Locale.ROOT, "%s: precision vs recall (%d apply, %d do not)", label,
                    curve.positives(), curve.negatives()), MARGIN_PX, 30);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static int x(double recall) {
        return MARGIN_PX + (int) Math.round(recall * (WIDTH_PX - 2 * MARGIN_PX));
    }

    private static int y(double precision) {
        return HEIGHT_PX - MARGIN_PX - (int) Math.round(precision * (HEIGHT_PX - 2 * MARGIN_PX));
    }

    private static void axes(Graphics2D g) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 10; i++) {
            double v = i / 10.0;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x(v), y(0), x(v), y(1));
            g.drawLine(x(0), y(v), x(1), y(v));
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", v), x(v) - 8, y(0) + 16);
            g.drawString(String.format(Locale.ROOT, "%.1f", v), x(0) - 28, y(v) + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x(0), y(1), x(1) - x(0), y(0) - y(1));
        g.drawString("recall", (x(0) + x(1)) / 2 - 15, HEIGHT_PX - 18);
        g.drawString("precision", 6, y(1) - 10);
    }

    private static void target(Graphics2D g, Target target) {
        g.setColor(new Color(200, 60, 60));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        if (target.metric() == Target.Metric.PRECISION) {
            g.drawLine(x(0), y(target.value()), x(1), y(target.value()));
        } else {
            g.drawLine(x(target.value()), y(0), x(target.value()), y(1));
        }
        g.drawString("target " + target.metric().name().toLowerCase(Locale.ROOT) + " " + target.value(),
                x(0) + 6, y(1) + 16);
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
        g.drawString(String.format(Locale.ROOT, "threshold %.3f: precision %.2f, recall %.2f", point.threshold(),
                point.precision(), point.recall()), Math.min(px + 10, WIDTH_PX - 300), py - 12);
    }
}
