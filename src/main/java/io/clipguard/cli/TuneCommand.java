package io.clipguard.cli;

import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.config.AppConfig;
import io.clipguard.config.ConfigLoader;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import io.clipguard.serde.AvroSerdes;
import io.clipguard.tuning.JsonLines;
import io.clipguard.tuning.PolicyPatch;
import io.clipguard.tuning.PrCurve;
import io.clipguard.tuning.PrPlot;
import io.clipguard.tuning.ReliabilityPlot;
import io.clipguard.tuning.Review;
import io.clipguard.tuning.ReviewedUpload;
import io.clipguard.tuning.ScoredUpload;
import io.clipguard.tuning.ShadowBySlice;
import io.clipguard.tuning.SliceAudit;
import io.clipguard.tuning.SlicePlot;
import io.clipguard.tuning.SliceReport;
import io.clipguard.tuning.Target;
import io.clipguard.tuning.TopicSnapshot;
import io.clipguard.tuning.Tuner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tune}: joins scored results with review decisions, fits a temperature, recommends a threshold
 * per flagging label for a target precision or recall, and writes PR-curve plots, a reliability
 * diagram, a policy patch and the tuned policy to {@code --out}.
 *
 * <pre>
 * clipguard tune --policy FILE --scored SCORED.jsonl --reviews REVIEWS.jsonl [options]   (offline)
 * clipguard tune --policy FILE --config APP.properties [--reviews-topic T] [options]      (from Kafka)
 * options: --target-precision P | --target-recall R   (default precision 0.9)
 *          --confidence C   one-sided confidence of the target (default 0.95; 0.5 = point estimate)
 *          --policy-version V   only scores made by this version of the policy
 *          --slice KEY      error rates by the values of an upload attribute (repeatable), and the
 *                           shadow policy's changes by slice (--shadow FILE, or the shadow topic)
 *          --out DIR        (default tuning)
 * </pre>
 */
@Command(
        name = "tune",
        mixinStandardHelpOptions = true,
        description = {
            "Joins scored results with review decisions, fits a temperature, recommends a threshold per flagging"
                    + " label for a target precision or recall, and writes PR curves, a reliability diagram, a"
                    + " policy patch and the tuned policy to --out.",
            "Reads either JSON lines (--scored and --reviews) or the topics of a running deployment (--config)."
        })
final class TuneCommand implements Callable<Integer> {

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "the policy to tune (YAML)")
    Path policyFile;

    @Option(
            names = "--scored",
            paramLabel = "FILE",
            description = "scored results, one JSON object per line (offline; with --reviews)")
    Path scoredFile;

    @Option(names = "--reviews", paramLabel = "FILE", description = "review decisions, one JSON object per line")
    Path reviewsFile;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "the job's properties: read the scored topic and --reviews-topic instead of files")
    Path configFile;

    @Option(
            names = "--reviews-topic",
            paramLabel = "TOPIC",
            defaultValue = "moderation.reviews",
            description = "the topic of review decisions, with --config (default: ${DEFAULT-VALUE})")
    String reviewsTopic;

    @ArgGroup(exclusive = true)
    TargetOption targetOption = new TargetOption();

    static final class TargetOption {
        @Option(
                names = "--target-precision",
                paramLabel = "P",
                description = "the precision each label's threshold should reach (default 0.9)")
        Double precision;

        @Option(names = "--target-recall", paramLabel = "R", description = "or the recall it should reach")
        Double recall;
    }

    @Option(
            names = "--confidence",
            paramLabel = "C",
            defaultValue = "0.95",
            description = "one-sided confidence that the target is met; 0.5 is the point estimate (default:"
                    + " ${DEFAULT-VALUE})")
    double confidence;

    @Option(
            names = "--policy-version",
            paramLabel = "V",
            description = "only the scores made by this version of the policy")
    String policyVersion;

    @Option(
            names = "--slice",
            paramLabel = "KEY",
            description = "also report each flagging label's precision, recall and false-positive rate for every"
                    + " value of this upload attribute (repeatable), flag slices that differ from the rest, and"
                    + " show how the shadow policy's decisions would change by slice")
    List<String> sliceKeys = new ArrayList<>();

    @Option(
            names = "--slice-margin",
            paramLabel = "M",
            defaultValue = "0.05",
            description = "the smallest difference in a rate from the rest that is flagged (default: ${DEFAULT-VALUE})")
    double sliceMargin;

    @Option(
            names = "--slice-min-reviews",
            paramLabel = "N",
            defaultValue = "30",
            description = "fewer reviews in a slice than this is too few to judge (default: ${DEFAULT-VALUE})")
    int sliceMinReviews;

    @Option(
            names = "--shadow",
            paramLabel = "FILE",
            description = "the shadow policy's results, one JSON object per line (offline; with --slice). With"
                    + " --config the shadow topic is read")
    Path shadowFile;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "tuning",
            description = "where the plots and policies go (default: ${DEFAULT-VALUE})")
    Path dir;

    /** What {@link #reviewed} read, for the slice report. */
    private List<ScoredUpload> liveResults = List.of();

    private List<ScoredUpload> shadowResults = List.of();
    private List<Review> reviews = List.of();

    @Override
    public Integer call() throws IOException {
        return run(System.out);
    }

    int run(PrintStream out) throws IOException {
        Policy policy = PolicyLoader.load(policyFile);
        Target target = target();
        List<ReviewedUpload> reviewed = reviewed();
        if (reviewed.isEmpty()) {
            throw new IllegalArgumentException("no scored upload has a review decision: nothing to tune on");
        }
        Tuner.Result result = Tuner.tune(policy, reviewed, target);
        Files.createDirectories(dir);
        for (Tuner.LabelTuning label : result.labels()) {
            PrPlot.write(
                    dir.resolve("pr-" + label.label().id() + ".png"),
                    label.label().id(),
                    label.curve(),
                    target,
                    label.recommended());
        }
        ReliabilityPlot.write(
                dir.resolve("calibration.png"),
                result.pairsBefore(),
                result.pairsAfter(),
                result.eceBefore(),
                result.eceAfter());
        Files.writeString(dir.resolve("policy-patch.yaml"), PolicyPatch.patch(policy, result, target));
        String stem = policyFile.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Files.writeString(
                dir.resolve(stem + ".tuned.yaml"), PolicyPatch.apply(Files.readString(policyFile), policy, result));
        report(out, result, dir);
        if (!sliceKeys.isEmpty()) {
            out.println();
            slices(out, policy, reviewed, target);
        }
        return 0;
    }

    private Target target() {
        double z = Target.zFor(confidence);
        if (targetOption.recall != null) {
            return new Target(Target.Metric.RECALL, targetOption.recall, z);
        }
        return new Target(Target.Metric.PRECISION, targetOption.precision == null ? 0.9 : targetOption.precision, z);
    }

    private List<ReviewedUpload> reviewed() throws IOException {
        List<ScoredUpload> scored;
        if (configFile != null) {
            if (scoredFile != null || reviewsFile != null) {
                throw new IllegalArgumentException("give --config or --scored with --reviews, not both");
            }
            AppConfig config = ConfigLoader.load(configFile);
            scored = TopicSnapshot.scored(
                    config.topics().scored(),
                    config.streams(),
                    AvroSerdes.forClass(ModerationResult.class, config.serdeConfig(), config.serdeClass())
                            .deserializer());
            shadowResults = sliceKeys.isEmpty() ? List.of() : shadowTopic(config);
            reviews = TopicSnapshot.reviews(
                    reviewsTopic,
                    config.streams(),
                    AvroSerdes.forClass(ReviewDecision.class, config.serdeConfig(), config.serdeClass())
                            .deserializer());
        } else {
            if (scoredFile == null || reviewsFile == null) {
                throw new IllegalArgumentException("give --scored and --reviews, or --config");
            }
            scored = JsonLines.readScored(scoredFile);
            reviews = JsonLines.readReviews(reviewsFile);
            shadowResults = shadowFile == null ? List.of() : JsonLines.readScored(shadowFile);
        }
        String version = policyVersion;
        if (version != null) {
            scored = scored.stream()
                    .filter(upload -> upload.policyVersion().equals(version))
                    .toList();
        }
        Set<String> versions = new TreeSet<>();
        scored.forEach(upload -> versions.add(upload.policyVersion()));
        if (versions.size() > 1) {
            System.err.println("note: scores from policy versions " + versions + " are mixed; pick one with"
                    + " --policy-version if their labels or temperatures differ");
        }
        liveResults = scored;
        return ReviewedUpload.join(scored, reviews);
    }

    /** The shadow topic's results, or none when the topic does not exist (no shadow policy ever ran). */
    private static List<ScoredUpload> shadowTopic(AppConfig config) {
        try {
            return TopicSnapshot.scored(
                    config.topics().shadow(),
                    config.streams(),
                    AvroSerdes.forClass(ModerationResult.class, config.serdeConfig(), config.serdeClass())
                            .deserializer());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private void slices(PrintStream out, Policy policy, List<ReviewedUpload> reviewed, Target target)
            throws IOException {
        SliceAudit.Settings settings = new SliceAudit.Settings(
                sliceMargin,
                sliceMinReviews,
                SliceAudit.Settings.DEFAULTS.z(),
                SliceAudit.Settings.DEFAULTS.maxValues());
        List<SliceAudit.LabelSlices> audits = SliceAudit.audit(policy, reviewed, sliceKeys, settings, target);
        boolean shadowRead = configFile != null || shadowFile != null;
        ShadowBySlice.Result shadow = shadowRead
                ? ShadowBySlice.compare(policy, liveResults, shadowResults, reviews, sliceKeys, settings)
                : null;
        String report = SliceReport.markdown(audits, shadow, settings);
        Files.writeString(dir.resolve("slices.md"), report);
        for (SliceAudit.LabelSlices audit : audits) {
            SlicePlot.write(dir.resolve("slices-" + audit.label().id() + "-" + fileSafe(audit.key()) + ".png"), audit);
        }
        out.print(report);
        out.println("wrote " + dir.resolve("slices.md") + " and a plot per label and key (slices-*.png)");
    }

    /** An attribute name as part of a file name: letters, digits, dot, dash and underscore kept, 40 at most. */
    private static String fileSafe(String key) {
        String safe = key.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.length() <= 40 ? safe : safe.substring(0, 40);
    }

    private static void report(PrintStream out, Tuner.Result result, Path dir) {
        out.printf(Locale.ROOT, "%d reviewed uploads%n", result.reviewedUploads());
        out.printf(
                Locale.ROOT,
                "calibration: temperature x%.3f (policy temperature %.3f); expected calibration error"
                        + " %.4f -> %.4f%n",
                result.temperatureFactor(),
                result.temperature(),
                result.eceBefore(),
                result.eceAfter());
        out.printf(
                Locale.ROOT,
                "%-16s %9s %9s %9s %9s %9s %8s %8s%n",
                "LABEL",
                "WAS",
                "THRESHOLD",
                "PRECISION",
                "RECALL",
                "F1",
                "APPLIES",
                "REVIEWS");
        for (Tuner.LabelTuning label : result.labels()) {
            PrCurve curve = label.curve();
            String row = label.recommended()
                    .map(p -> String.format(
                            Locale.ROOT, "%9.4f %9.3f %9.3f %9.3f", p.threshold(), p.precision(), p.recall(), p.f1()))
                    .orElse(String.format(Locale.ROOT, "%9s %29s", "-", "target not reachable"));
            out.printf(
                    Locale.ROOT,
                    "%-16s %9.4f %s %8d %8d%n",
                    label.label().id(),
                    label.label().threshold(),
                    row,
                    curve.positives(),
                    curve.positives() + curve.negatives());
        }
        out.println("wrote " + dir.resolve("policy-patch.yaml") + ", the tuned policy, PR curves (pr-*.png) and a"
                + " reliability diagram (calibration.png) in " + dir);
    }
}
