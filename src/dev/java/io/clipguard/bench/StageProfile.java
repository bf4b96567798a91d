package io.clipguard.bench;

import com.sun.management.OperatingSystemMXBean;
import io.clipguard.app.ModelRuntime;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.image.ClipPreprocessor;
import io.clipguard.image.DecodeLimits;
import io.clipguard.image.RoutingImageDecoder;
import io.clipguard.local.UploadProducer;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.SourceCoordinates;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Where the CPU time of one upload goes, per input class: each stage of the production code run on
 * one thread and timed with that thread's CPU clock (Avro in, reading the image out of the event,
 * decode, pre-processing, scoring, Avro out); the encoder timed with the process CPU clock (its
 * intra-op threads are native), per image at batch 16. Median of {@code repeat} runs per image, mean
 * over the class. Nothing else should run in the process meanwhile.
 */
final class StageProfile {

    enum Stage {
        AVRO_IN("Avro in"),
        READ("read image"),
        DECODE("decode"),
        PREPROCESS("pre-process"),
        SCORE("score"),
        AVRO_OUT("Avro out"),
        ENCODE("encode (per image, batch 16)");

        final String label;

        Stage(String label) {
            this.label = label;
        }
    }

    /** One class's mean CPU milliseconds per image, by stage. */
    record ClassCost(InputClass inputClass, int images, double meanMegapixels, Map<Stage, Double> millis) {

        double outsideModel() {
            return millis.entrySet().stream()
                    .filter(e -> e.getKey() != Stage.ENCODE)
                    .mapToDouble(Map.Entry::getValue)
                    .sum();
        }
    }

    /** Mean CPU milliseconds per image over all the images profiled: outside the model, and encoding. */
    record Totals(double outsideModelMs, double encodeMs) {
        static Totals of(List<ClassCost> costs) {
            int images = costs.stream().mapToInt(ClassCost::images).sum();
            double outside = costs.stream()
                    .mapToDouble(c -> c.images() * c.outsideModel())
                    .sum();
            double encode = costs.stream()
                    .mapToDouble(c -> c.images() * c.millis().get(Stage.ENCODE))
                    .sum();
            return new Totals(outside / images, encode / images);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final int ENCODER_BATCH = 16;

    private final ModelRuntime runtime;
    private final RoutingImageDecoder decoder;
    private final ClipPreprocessor preprocessor;
    private final SpecificDatumReader<UploadedImage> uploads = new SpecificDatumReader<>(UploadedImage.class);
    private final SpecificDatumWriter<UploadedImage> uploadWriter = new SpecificDatumWriter<>(UploadedImage.class);
    private final SpecificDatumWriter<ModerationResult> results = new SpecificDatumWriter<>(ModerationResult.class);

    StageProfile(ModelRuntime runtime) {
        this.runtime = runtime;
        int size = runtime.bundle().image().sizePx();
        this.decoder = RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, size);
        this.preprocessor = ClipPreprocessor.from(runtime.bundle().image());
    }

    /** Profiles every image, grouped by class, {@code repeat} times each. */
    List<ClassCost> run(List<byte[]> images, int repeat) {
        Map<InputClass, List<Map<Stage, Double>>> byClass = new EnumMap<>(InputClass.class);
        Map<InputClass, List<Double>> megapixels = new EnumMap<>(InputClass.class);
        for (byte[] image : images) {
            BufferedImage full = decoder.decode(image); // warm-up, and the pixel count for non-JPEGs
            InputClass inputClass = InputClass.of(image, (long) full.getWidth() * full.getHeight());
            InputClass.Frame frame = InputClass.jpegFrame(image);
            megapixels
                    .computeIfAbsent(inputClass, c -> new ArrayList<>())
                    .add(
                            frame == null
                                    ? full.getWidth() * (double) full.getHeight() / 1e6
                                    : frame.width() * (double) frame.height() / 1e6);
            byClass.computeIfAbsent(inputClass, c -> new ArrayList<>()).add(profile(image, repeat));
        }
        List<ClassCost> costs = new ArrayList<>();
        byClass.forEach((inputClass, perImage) -> {
            Map<Stage, Double> mean = new EnumMap<>(Stage.class);
            for (Stage stage : Stage.values()) {
                mean.put(
                        stage,
                        perImage.stream()
                                .mapToDouble(m -> m.get(stage))
                                .average()
                                .orElse(0));
            }
            costs.add(new ClassCost(
                    inputClass,
                    perImage.size(),
                    megapixels.get(inputClass).stream()
                            .mapToDouble(Double::doubleValue)
                            .average()
                            .orElse(0),
                    mean));
        });
        return costs;
    }

    private Map<Stage, Double> profile(byte[] image, int repeat) {
        Map<Stage, double[]> samples = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            samples.put(stage, new double[repeat]);
        }
        byte[] event = serialize(UploadProducer.inline("profile", image, "image/jpeg"));
        Moderator moderator = runtime.moderator();
        for (int r = 0; r < repeat; r++) {
            long t = cpu();
            UploadedImage upload = read(event);
            t = record(samples, Stage.AVRO_IN, r, t);
            byte[] bytes = bytes(moderator, upload);
            t = record(samples, Stage.READ, r, t);
            BufferedImage decoded = decoder.decode(bytes);
            t = record(samples, Stage.DECODE, r, t);
            float[] pixels = preprocessor.apply(decoded);
            record(samples, Stage.PREPROCESS, r, t);

            List<float[]> batch = new ArrayList<>();
            for (int i = 0; i < ENCODER_BATCH; i++) {
                batch.add(pixels);
            }
            long process = PROCESS.getProcessCpuTime();
            float[] embedding = runtime.imageEncoder().encode(batch)[0];
            samples.get(Stage.ENCODE)[r] = (PROCESS.getProcessCpuTime() - process) / 1e6 / ENCODER_BATCH;

            t = cpu();
            Moderator.Prepared prepared =
                    new Moderator.Prepared(upload, new SourceCoordinates("profile", 0, r), pixels, null, 0, 0);
            Outcome outcome = moderator.decide(prepared, embedding, 0);
            t = record(samples, Stage.SCORE, r, t);
            serializeResult(((Outcome.Scored) outcome).result());
            record(samples, Stage.AVRO_OUT, r, t);
        }
        Map<Stage, Double> medians = new EnumMap<>(Stage.class);
        samples.forEach((stage, values) -> medians.put(stage, median(values)));
        return medians;
    }

    private static byte[] bytes(Moderator moderator, UploadedImage upload) {
        try {
            return moderator.image(upload);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the image of a profiled upload", e);
        }
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static long record(Map<Stage, double[]> samples, Stage stage, int r, long since) {
        long now = cpu();
        samples.get(stage)[r] = (now - since) / 1e6;
        return cpu();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private byte[] serialize(UploadedImage upload) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            uploadWriter.write(upload, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private UploadedImage read(byte[] event) {
        try {
            return uploads.read(null, DecoderFactory.get().binaryDecoder(event, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serializeResult(ModerationResult result) {
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(new ByteArrayOutputStream(), null);
            results.write(result, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The profile as a Markdown table, with the bounds it implies on {@code cores} cores. */
    static String markdown(String model, List<ClassCost> costs, int cores) {
        StringBuilder out = new StringBuilder();
        out.append("CPU milliseconds per image (")
                .append(model)
                .append(", one thread per stage; encoder: process CPU"
                        + " at batch 16)\n\n| class | images | mean MP |");
        for (Stage stage : Stage.values()) {
            out.append(' ').append(stage.label).append(" |");
        }
        out.append(" outside the model | decode-bound img/s on ")
                .append(cores)
                .append(" cores | encoder-bound img/s |\n|---|---|---|");
        out.append("---|".repeat(Stage.values().length + 3)).append('\n');
        for (ClassCost cost : costs) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.1f |",
                    cost.inputClass().label(),
                    cost.images(),
                    cost.meanMegapixels()));
            for (Stage stage : Stage.values()) {
                out.append(String.format(Locale.ROOT, " %.2f |", cost.millis().get(stage)));
            }
            double encode = cost.millis().get(Stage.ENCODE);
            out.append(String.format(
                    Locale.ROOT,
                    " %.1f | %.0f | %.0f |%n",
                    cost.outsideModel(),
                    cores * 1000 / cost.outsideModel(),
                    cores * 1000 / Math.max(encode, 1e-3)));
        }
        return out.toString();
    }
}
