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

/**
 * {@code score --model DIR --policy FILE [--engine E] IMAGE...}: scores image files through the same
 * pipeline as the streaming job, without Kafka, and prints one JSON line per image. Exits 0 when
 * every image was scored, 1 when any could not be.
 */
final class ScoreCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_IMAGE_BYTES = 64L * 1024 * 1024;

    private ScoreCommand() {}

    static int run(Arguments arguments, PrintStream out) throws IOException {
        if (arguments.positional().isEmpty()) {
            throw new IllegalArgumentException("give at least one image file to score");
        }
        ModelConfig model = new ModelConfig(
                Path.of(arguments.required("model")), Engine.parse(arguments.optional("engine", "pytorch")), 1, 2);
        int failures = 0;
        try (ModelRuntime runtime = ModelRuntime.open(model, Path.of(arguments.required("policy")), MAX_IMAGE_BYTES)) {
            for (String image : arguments.positional()) {
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
