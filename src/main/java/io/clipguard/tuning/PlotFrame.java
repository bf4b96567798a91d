package io.clipguard.tuning;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/** A unit-square chart on a 640 x 480 PNG: grid, axes from 0 to 1, labels, title (Java2D, headless). */
final class PlotFrame {

    static final int WIDTH_PX = 640;
    static final int HEIGHT_PX = 480;
    private static final int MARGIN_PX = 60;

    private PlotFrame() {}

    /** Draws the frame, lets {@code content} draw inside it, and writes the PNG. */
    static void write(Path file, String title, String xLabel, String yLabel, Consumer<Graphics2D> content)
            throws IOException {
        write(file, title, xLabel, yLabel, true, content);
    }

    /** As above; without {@code numericX} the x axis has no scale, for content that labels its own categories. */
    static void write(
            Path file, String title, String xLabel, String yLabel, boolean numericX, Consumer<Graphics2D> content)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH_PX, HEIGHT_PX, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH_PX, HEIGHT_PX);
            axes(g, xLabel, yLabel, numericX);
            content.accept(g);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, MARGIN_PX, 30);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    static int x(double value) {
        return MARGIN_PX + (int) Math.round(value * (WIDTH_PX - 2 * MARGIN_PX));
    }

    static int y(double value) {
        return HEIGHT_PX - MARGIN_PX - (int) Math.round(value * (HEIGHT_PX - 2 * MARGIN_PX));
    }

    private static void axes(Graphics2D g, String xLabel, String yLabel, boolean numericX) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 10; i++) {
            double v = i / 10.0;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x(v), y(0), x(v), y(1));
            g.drawLine(x(0), y(v), x(1), y(v));
            g.setColor(Color.DARK_GRAY);
            if (numericX) {
                g.drawString(String.format(Locale.ROOT, "%.1f", v), x(v) - 8, y(0) + 16);
            }
            g.drawString(String.format(Locale.ROOT, "%.1f", v), x(0) - 28, y(v) + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x(0), y(1), x(1) - x(0), y(0) - y(1));
        g.drawString(xLabel, (x(0) + x(1)) / 2 - 3 * xLabel.length(), HEIGHT_PX - 18);
        g.drawString(yLabel, 6, y(1) - 10);
    }
}
