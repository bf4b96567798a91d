package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.UploadProducer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: 5,000 small inline JPEGs waiting when the job started ran it out of memory (every one was
 * decoded into its encoder input before the first reached the encoder). Now the job, at a small heap,
 * works through the backlog within its in-flight budget, as its own metrics show while it works (the
 * bytes at work up to the budget and never above it; the rest waits in the topic, or parked): every upload is scored once, and the peak
 * heap is reported against the budget.
 */
class BacklogIT {

    private static final int UPLOADS = 5_000;
    private static final long BUDGET_BYTES = 64L * 1024 * 1024;

    @TempDir
    Path work;

    @Test
    void aBacklogOfSmallImagesIsWorkedThroughWithinTheBudget() throws Exception {
        String registry = LocalSchemaRegistry.shared().url().toString();
        try (FaultRun run =
                new FaultRun("backlog", SharedKafka.get().bootstrapServers(), registry, work, 2, (short) 1)) {
            List<byte[]> jpegs = smallJpegs(20);
            for (int i = 0; i < UPLOADS; i++) {
                run.send(UploadProducer.inline("small-" + i, jpegs.get(i % jpegs.size()), "image/jpeg"));
            }
            run.producer().flush();

            Properties settings = run.settings();
            settings.setProperty("clipguard.pipeline.max-in-flight-bytes", String.valueOf(BUDGET_BYTES));
            int port = FaultRun.serveManagement(settings);
            FaultRun.Job job = run.start("job", settings, "io.clipguard.cli.Main", "-Xmx320m");

            // what the job holds, sampled from its own metrics while it works through the backlog
            double[] peaks = new double[2]; // in-flight bytes, parked uploads
            java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    try {
                        String scrape = FaultRun.body(port, "/metrics");
                        double inFlight = FaultRun.metric(scrape, "clipguard_in_flight_bytes");
                        double parked = FaultRun.metric(scrape, "clipguard_uploads_parked");
                        if (!Double.isNaN(inFlight)) { // absent until the pipeline's meters are bound
                            peaks[0] = Math.max(peaks[0], inFlight);
                            peaks[1] = Math.max(peaks[1], parked);
                        }
                    } catch (Exception notUpYet) {
                        // the endpoints come up with the job
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            OutcomeReader.Outcomes outcomes;
            try {
                outcomes = run.awaitAll(Duration.ofSeconds(400));
            } finally {
                sampling.set(false);
                sampler.join();
            }
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(400));
            FaultRun.assertNoDeadLetters(outcomes);
            long peakHeapMb = job.peakHeapMb();
            System.out.printf(
                    "backlog: %d small JPEGs, in-flight budget %d MB, peak in flight %.1f MB, up to %.0f parked,"
                            + " peak heap %d MB of 320 MB%n",
                    UPLOADS, BUDGET_BYTES >> 20, peaks[0] / (1 << 20), peaks[1], peakHeapMb);
            assertTrue(peaks[0] > 0 && peaks[0] <= BUDGET_BYTES, "in flight within the budget: " + peaks[0]);
            assertTrue(peaks[0] > BUDGET_BYTES / 2, "the budget, not the backlog, set what was held: " + peaks[0]);
            assertTrue(peakHeapMb > 0 && peakHeapMb < 320, "peak heap " + peakHeapMb + " MB");
            assertTrue(job.alive(), "no OutOfMemoryError took the job down");
        }
    }

    /** Photo-like JPEGs of about 30 KB: 640x480, gradients, shapes and grain. */
    private static List<byte[]> smallJpegs(int count) throws Exception {
        Random random = new Random(11);
        List<byte[]> jpegs = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setPaint(new java.awt.GradientPaint(
                    0, 0, new Color(random.nextInt(0xffffff)), 640, 480, new Color(random.nextInt(0xffffff))));
            g.fillRect(0, 0, 640, 480);
            for (int s = 0; s < 12; s++) {
                g.setColor(new Color(random.nextInt(0xffffff)));
                g.fillOval(
                        random.nextInt(600), random.nextInt(440), 20 + random.nextInt(200), 20 + random.nextInt(200));
            }
            g.dispose();
            for (int y = 0; y < 480; y++) {
                for (int x = 0; x < 640; x++) {
                    int grain = random.nextInt(9) - 4;
                    int rgb = image.getRGB(x, y);
                    int r = clamp(((rgb >> 16) & 0xff) + grain);
                    int gr = clamp(((rgb >> 8) & 0xff) + grain);
                    int b = clamp((rgb & 0xff) + grain);
                    image.setRGB(x, y, (r << 16) | (gr << 8) | b);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", out);
            jpegs.add(out.toByteArray());
        }
        return jpegs;
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }
}
