package io.clipguard.bench;

import io.clipguard.app.ModelRuntime;
import io.clipguard.avro.UploadedImage;
import io.clipguard.config.ModelConfig;
import io.clipguard.local.LocalKafkaProcess;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.UploadProducer;
import io.clipguard.model.Engine;
import io.clipguard.pipeline.RejectedUploadException;
import io.clipguard.pipeline.RetryLaterException;
import io.clipguard.pipeline.SourceCoordinates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * Measures, in one run on one model and one set of inputs: the raw encoder's limit, each stage's
 * CPU time per image and the bounds they imply, the batched pipeline end to end through a real broker
 * (saturation throughput, latency at 50% and 80% of it, heap under a 10x burst, and the CPU time per
 * image of the job, the broker and the registry, each in a process of its own), and the naive
 * per-record peer. Returns a markdown report with the ratios the targets are stated in.
 */
public final class Benchmark {

    /**
     * @param model             the bundle to run
     * @param policy            any policy the bundle's tokenizer can read
     * @param photos            real-size JPEG photographs
     * @param small             small images
     * @param maxBatchSize      the batched pipeline's batch size
     * @param maxDelay          the batched pipeline's delay
     * @param saturationUploads uploads per saturation phase
     * @param loadSeconds       length of each fixed-load phase
     */
    public record Settings(
            Path model,
            Path policy,
            BenchInputs photos,
            BenchInputs small,
            int maxBatchSize,
            Duration maxDelay,
            int saturationUploads,
            double loadSeconds,
            long maxInFlightBytes) {}

    private static final int PROFILE_REPEAT = 3;
    /** Small images profiled: each costs a batch of 16 through the encoder, 1.7 s on ViT-B/32 here. */
    private static final int PROFILED_SMALL_IMAGES = 24;

    private Benchmark() {}

    public static String run(Settings settings) throws Exception {
        BenchReport report = new BenchReport(settings);
        measureModelAlone(settings, report);
        try (LocalKafkaProcess kafka = LocalKafkaProcess.start(Duration.ofMinutes(2));
                LocalSchemaRegistry registry = LocalSchemaRegistry.start()) {
            CpuMeter cpu = new CpuMeter(kafka::cpu, registry::cpu);
            String bootstrap = kafka.bootstrapServers();
            String registryUrl = registry.url().toString();
            try (PipelineRun batched = new PipelineRun(bootstrap, registryUrl, cpu, appSettings(settings, "batched"))) {
                // As many uploads as a measured phase: the JIT compiles Kafka's and the job's code for
                // tens of seconds, and its CPU would otherwise count against the first phases.
                batched.phase("warmup", settings.small(), settings.saturationUploads(), 0, Duration.ofMinutes(15));
                batched.phase(
                        "warmup-photos", settings.photos(), settings.saturationUploads(), 0, Duration.ofMinutes(15));
                PhaseResult photos = batched.phase(
                        "photos", settings.photos(), settings.saturationUploads(), 0, Duration.ofMinutes(15));
                report.batchedSaturation(
                        photos,
                        batched.phase(
                                "small", settings.small(), settings.saturationUploads(), 0, Duration.ofMinutes(15)));
                double capacity = photos.imagesPerSecond();
                for (double load : List.of(0.5, 0.8)) {
                    int count = (int) Math.max(10, capacity * load * settings.loadSeconds());
                    report.load(
                            load,
                            batched.phase(
                                    "load-" + load, settings.photos(), count, capacity * load, Duration.ofMinutes(10)));
                }
                int burst = (int) Math.max(20, capacity * 10 * 3);
                report.burst(burst, batched.burstHeapPeakMb(settings.photos(), burst, Duration.ofSeconds(15)));
            }
            try (PipelineRun naive =
                    new PipelineRun(bootstrap, registryUrl, cpu, appSettings(settings, "per-record"))) {
                naive.phase("warmup", settings.small(), 8, 0, Duration.ofMinutes(5));
                report.naive(naive.phase(
                        "photos",
                        settings.photos(),
                        Math.max(16, settings.saturationUploads() / 2),
                        0,
                        Duration.ofMinutes(15)));
            }
        }
        return report.markdown();
    }

    /**
     * The model without Kafka: the raw encoder's throughput on ready tensors, and the CPU time of each
     * stage per image of both input sets, whose sums bound what the pipeline can reach here.
     */
    private static void measureModelAlone(Settings settings, BenchReport report)
            throws RejectedUploadException, RetryLaterException {
        try (ModelRuntime runtime = ModelRuntime.open(
                new ModelConfig(settings.model(), Engine.PYTORCH, 1, 2), settings.policy(), Long.MAX_VALUE)) {
            List<float[]> tensors = new ArrayList<>();
            for (int i = 0; i < Math.min(8, settings.photos().images().size()); i++) {
                UploadedImage upload =
                        UploadProducer.inline("raw-" + i, settings.photos().image(i), "image/jpeg");
                tensors.add(runtime.moderator()
                        .prepare(upload, runtime.moderator().image(upload), new SourceCoordinates("bench", 0, i))
                        .pixels());
            }
            List<Integer> sizes = new ArrayList<>(List.of(1, 8, 32));
            if (!sizes.contains(settings.maxBatchSize())) {
                sizes.add(settings.maxBatchSize());
                Collections.sort(sizes);
            }
            report.encoder(EncoderBench.imagesPerSecond(runtime.imageEncoder(), tensors, sizes, 3, 3.0));
            StageProfile profile = new StageProfile(runtime);
            profile.run(
                    settings.small()
                            .images()
                            .subList(0, Math.min(8, settings.small().images().size())),
                    1);
            List<byte[]> small = settings.small().images();
            report.profile(
                    profile.run(settings.photos().images(), PROFILE_REPEAT),
                    profile.run(small.subList(0, Math.min(PROFILED_SMALL_IMAGES, small.size())), PROFILE_REPEAT));
        }
    }

    private static Properties appSettings(Settings settings, String mode) {
        Properties app = new Properties();
        app.setProperty("clipguard.pipeline.mode", mode);
        app.setProperty("clipguard.model.dir", settings.model().toString());
        app.setProperty("clipguard.management.port", "0");
        app.setProperty("clipguard.policy.file", settings.policy().toString());
        app.setProperty("clipguard.batch.max-size", String.valueOf(settings.maxBatchSize()));
        app.setProperty(
                "clipguard.batch.max-delay-ms",
                String.valueOf(settings.maxDelay().toMillis()));
        app.setProperty("num.stream.threads", "1");
        if (settings.maxInFlightBytes() > 0) {
            app.setProperty("clipguard.pipeline.max-in-flight-bytes", String.valueOf(settings.maxInFlightBytes()));
        }
        app.setProperty("state.dir", System.getProperty("java.io.tmpdir") + "/clipguard-bench-" + System.nanoTime());
        return app;
    }
}
