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
            double[] peaks = new double[1];
            OutcomeReader.Outcomes outcomes = whileSampling(port, peaks, () -> run.awaitAll(Duration.ofSeconds(400)));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(400));
            FaultRun.assertNoDeadLetters(outcomes);
            long peakHeapMb = job.peakHeapMb();
            System.out.printf(
                    "backlog: %d small JPEGs, in-flight budget %d MB, peak in flight %.1f MB, peak heap %d MB of 320"
                            + " MB%n",
                    UPLOADS, BUDGET_BYTES >> 20, peaks[0] / (1 << 20), peakHeapMb);
            assertTrue(peaks[0] > 0 && peaks[0] <= BUDGET_BYTES, "in flight within the budget: " + peaks[0]);
            assertTrue(peaks[0] > BUDGET_BYTES / 2, "the budget, not the backlog, set what was held: " + peaks[0]);
            assertTrue(peakHeapMb > 0 && peakHeapMb < 320, "peak heap " + peakHeapMb + " MB");
            assertTrue(job.alive(), "no OutOfMemoryError took the job down");
        }
    }

    /**
     * A burst of photograph-sized inline uploads (1 MB each, 300 MB in all) waiting for a job with a
     * 320 MB heap: the in-flight budget (64 MB here) bounds what the job holds at work, and the stream
     * thread drains what it fetched steadily (waiting for room, or parking), so its input buffer never
     * fills (measured: the same run with Kafka's 512 MB default input buffer peaks at the same heap).
     * Every upload is scored once, the bytes at work never exceed the budget, the job lives.
     */
    @Test
    void aBurstOfPhotographSizedUploadsStaysWithinTheBudget() throws Exception {
        String registry = LocalSchemaRegistry.shared().url().toString();
        try (FaultRun run = new FaultRun("burst", SharedKafka.get().bootstrapServers(), registry, work, 2, (short) 1)) {
            List<byte[]> photos = noisyJpegs(4);
            for (int i = 0; i < 300; i++) {
                run.send(UploadProducer.inline("photo-" + i, photos.get(i % photos.size()), "image/jpeg"));
            }
            run.producer().flush();
            Properties settings = run.settings();
            settings.setProperty("clipguard.pipeline.max-in-flight-bytes", String.valueOf(BUDGET_BYTES));
            int port = FaultRun.serveManagement(settings);
            FaultRun.Job job = run.start("job", settings, "io.clipguard.cli.Main", "-Xmx320m");
            double[] peakInFlight = new double[1];
            OutcomeReader.Outcomes outcomes =
                    whileSampling(port, peakInFlight, () -> run.awaitAll(Duration.ofSeconds(300)));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(300));
            FaultRun.assertNoDeadLetters(outcomes);
            System.out.printf(
                    "burst: 300 uploads of %d KB, budget %d MB, peak in flight %.1f MB, peak heap %d MB of 320 MB%n",
                    photos.get(0).length / 1024, BUDGET_BYTES >> 20, peakInFlight[0] / (1 << 20), job.peakHeapMb());
            assertTrue(peakInFlight[0] <= BUDGET_BYTES, "in flight within the budget: " + peakInFlight[0]);
            assertTrue(job.alive(), "no OutOfMemoryError took the job down");
        }
    }

    /** Runs {@code work} while sampling the job's in-flight bytes from its metrics into {@code peak[0]}. */
    private static <T> T whileSampling(int port, double[] peak, java.util.concurrent.Callable<T> work)
            throws Exception {
        java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    double inFlight = FaultRun.metric(FaultRun.body(port, "/metrics"), "clipguard_in_flight_bytes");
                    if (!Double.isNaN(inFlight)) { // absent until the pipeline's meters are bound
                        peak[0] = Math.max(peak[0], inFlight);
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception notUpYet) {
                    // the endpoints come up with the job
                }
            }
        });
        sampler.start();
        try {
            return work.call();
        } finally {
            sampling.set(false);
            sampler.join();
        }
    }

    /** JPEGs of about 1 MB: 1600x1200 of noise at high quality, which compresses badly on purpose. */
    private static List<byte[]> noisyJpegs(int count) throws Exception {
        Random random = new Random(5);
        List<byte[]> jpegs = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            BufferedImage image = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 1200; y++) {
                for (int x = 0; x < 1600; x++) {
                    image.setRGB(x, y, random.nextInt(0x1000000));
                }
            }
            javax.imageio.ImageWriter writer =
                    ImageIO.getImageWritersByFormatName("jpg").next();
            javax.imageio.ImageWriteParam quality = writer.getDefaultWriteParam();
            quality.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            quality.setCompressionQuality(0.7f);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new javax.imageio.IIOImage(image, null, null), quality);
            }
            writer.dispose();
            jpegs.add(out.toByteArray());
        }
        return jpegs;
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
