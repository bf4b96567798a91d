package io.clipguard.image;

import io.clipguard.model.ImageSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The two image speed-ups against what they replace, in one run, on one core (thread CPU time,
 * best of several runs): the Vector API resampler against the scalar one, and the system's
 * libjpeg-turbo against OpenCV's built-in copy. A development tool (src/dev), in this package for
 * access to both implementations.
 */
public final class ImagePathBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int RUNS = 15;

    private ImagePathBench() {}

    /** The comparison as Markdown, over a 1280x800 test card and the given photographs. */
    public static String markdown(ImageSpec spec, List<byte[]> photos) {
        int size = spec.sizePx();
        StringBuilder out = new StringBuilder();
        out.append("| what (one core, best of ")
                .append(RUNS)
                .append(") | before, ms | now, ms | now / before |\n|---|---|---|---|\n");
        RgbImage card = noise(1280, 800);
        ChwNormalizer normalizer = new ChwNormalizer(spec);
        row(
                out,
                "pre-process a 1280x800 image (resize, crop, normalise): scalar vs Vector API resampler",
                () -> normalizer.apply(scalar(card, size)),
                ResizeAndCrop.SIMD ? () -> normalizer.apply(new ResizeAndCrop(size).apply(card)) : null);
        List<RgbImage> decoded = new ArrayList<>();
        List<byte[]> jpegs = new ArrayList<>();
        List<JpegHeader> headers = new ArrayList<>();
        for (byte[] photo : photos) {
            if (ImageFormat.sniff(photo) == ImageFormat.JPEG) {
                JpegHeader header = JpegHeader.parse(photo);
                if (header.components() != 4) {
                    jpegs.add(photo);
                    headers.add(header);
                    decoded.add(Rgb8Reader.read(OpenCvDecoder.decodeJpeg(photo, scale(header, size))));
                }
            }
        }
        if (!decoded.isEmpty()) {
            row(
                    out,
                    "resize and crop the " + decoded.size() + " photographs as decoded (mean)",
                    () -> decoded.forEach(image -> scalar(image, size)),
                    ResizeAndCrop.SIMD ? () -> decoded.forEach(new ResizeAndCrop(size)::apply) : null,
                    decoded.size());
            row(
                    out,
                    "decode the " + jpegs.size() + " JPEG photographs to RGB at the production scale (mean):"
                            + " OpenCV vs the system's libjpeg-turbo",
                    () -> {
                        for (int i = 0; i < jpegs.size(); i++) {
                            Rgb8Reader.read(OpenCvDecoder.decodeJpeg(jpegs.get(i), scale(headers.get(i), size)));
                        }
                    },
                    TurboJpegDecoder.available()
                            ? () -> {
                                for (int i = 0; i < jpegs.size(); i++) {
                                    Rgb8Reader.read(TurboJpegDecoder.decode(
                                            jpegs.get(i), headers.get(i), scale(headers.get(i), size)));
                                }
                            }
                            : null,
                    jpegs.size());
        }
        return out.append('\n')
                .append(ImageAcceleration.summary())
                .append(".\n")
                .toString();
    }

    private static int scale(JpegHeader header, int size) {
        return OpenCvDecoder.scaleFor(header.widthPx(), header.heightPx(), 2 * size);
    }

    private static RgbImage scalar(RgbImage image, int size) {
        return new ResizeAndCrop(size).apply(image, false);
    }

    private static void row(StringBuilder out, String what, Runnable before, Runnable now) {
        row(out, what, before, now, 1);
    }

    private static void row(StringBuilder out, String what, Runnable before, Runnable now, int items) {
        double beforeMs = best(before) / items;
        if (now == null) {
            out.append(String.format(Locale.ROOT, "| %s | %.2f | not available | |%n", what, beforeMs));
            return;
        }
        double nowMs = best(now) / items;
        out.append(
                String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", what, beforeMs, nowMs, nowMs / beforeMs));
    }

    /** Best thread-CPU milliseconds of {@link #RUNS}, after as many runs to warm the JIT. */
    private static double best(Runnable work) {
        for (int i = 0; i < RUNS; i++) {
            work.run();
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < RUNS; i++) {
            long start = THREADS.getCurrentThreadCpuTime();
            work.run();
            best = Math.min(best, THREADS.getCurrentThreadCpuTime() - start);
        }
        return best / 1e6;
    }

    private static RgbImage noise(int width, int height) {
        byte[] rgb = new byte[3 * width * height];
        new Random(1).nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }
}
