package io.clipguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipguard.app.ModelRuntime;
import io.clipguard.avro.LabelScore;
import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.config.ModelConfig;
import io.clipguard.model.Engine;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.SourceCoordinates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code score --model DIR --policy FILE [--engine E] IMAGE...}: scores image files through the same
 * pipeline as the streaming job, without Kafka, and prints one JSON line per image. Exits 0 when
 * every image was scored, 1 when any could not be.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Scores image files against a policy without Kafka, through the same pipeline as the job,"
                    + " and prints one JSON line per image.",
            "Exits 1 when any image could not be scored (its line says why)."
        })
final class ScoreCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_IMAGE_BYTES = 64L * 1024 * 1024;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "the model bundle's directory")
    Path modelDir;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "the policy (YAML)")
    Path policy;

    @Option(
            names = "--engine",
            paramLabel = "ENGINE",
            defaultValue = "pytorch",
            description = "the image encoder's engine: pytorch, onnxruntime or tensorrt (default: ${DEFAULT-VALUE})")
    String engine;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "image files to score")
    List<String> images;

    @Override
    public Integer call() throws IOException {
        return run(System.out);
    }

    int run(PrintStream out) throws IOException {
        ModelConfig model = new ModelConfig(modelDir, Engine.parse(engine), 1, 2);
        int failures = 0;
        try (ModelRuntime runtime = ModelRuntime.open(model, policy, MAX_IMAGE_BYTES)) {
            for (String image : images) {
                Outcome outcome = score(runtime, Path.of(image));
                out.println(JSON.writeValueAsString(toJson(image, outcome)));
                failures += outcome instanceof Outcome.Scored ? 0 : 1;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static Outcome score(ModelRuntime runtime, Path file) throws IOException {
        SourceCoordinates from = new SourceCoordinates(file.toString(), 0, 0);
        UploadedImage upload = UploadedImage.newBuilder()
                .setUploadId(file.getFileName().toString())
                .setUploadedAt(Instant.now())
                .setImageBytes(ByteBuffer.wrap(Files.readAllBytes(file)))
                .build();
        return runtime.moderator().moderate(upload, from);
    }

    private static ObjectNode toJson(String image, Outcome outcome) {
        ObjectNode line = JSON.createObjectNode().put("image", image);
        if (outcome instanceof Outcome.Failed failed) {
            ModerationError error = failed.error();
            return line.put("error", error.getReason()).put("message", error.getMessage());
        }
        if (outcome instanceof Outcome.Retry retry) {
            return line.put("error", "RETRY_LATER").put("message", retry.cause());
        }
        ModerationResult result = ((Outcome.Scored) outcome).result();
        line.put("flagged", result.getFlagged())
                .put("action", result.getAction())
                .put("deciding_label", result.getDecidingLabel())
                .put("review_queue", result.getReviewQueue());
        ArrayNode labels = line.putArray("labels");
        for (LabelScore score : result.getLabels()) {
            labels.addObject()
                    .put("label", score.getLabel())
                    .put("score", Math.round(score.getScore() * 1e4) / 1e4)
                    .put("threshold", score.getThreshold())
                    .put("fired", score.getFired());
        }
        return line.put("model_id", result.getModelId())
                .put("policy_id", result.getPolicyId())
                .put("policy_version", result.getPolicyVersion());
    }
}
