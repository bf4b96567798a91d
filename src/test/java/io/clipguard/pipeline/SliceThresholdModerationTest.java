package io.clipguard.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.ingest.UploadImageSource;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A policy's slice threshold decides for the uploads whose attributes put them in its slice, and
 * the threshold applied is the one recorded on the result. Fake stages: every image embeds at a
 * cosine of 0.7 to the label "nudity".
 */
class SliceThresholdModerationTest {

    private static final Policy POLICY = PolicyLoader.parse(
            """
            id: slices
            version: 1
            rule: cosine_margin
            labels:
              - id: nudity
                prompts: [a nude photo]
                action: review
                threshold: 0.5
                slice_thresholds:
                  - {attribute: surface, value: beach_contest, threshold: 0.8}
              - {id: other, prompts: [a cat], action: allow, threshold: 0.9}
            """,
            "slices.yaml");

    @Test
    void theUploadsOfTheSliceAreJudgedAtItsThreshold() {
        EmbeddedPolicy policy =
                new EmbeddedPolicy(POLICY, "fake-model", 100f, List.of(new float[] {1, 0, 0}, new float[] {0, 0, 1}));
        float[] embedding = {0.7f, (float) Math.sqrt(1 - 0.49), 0};
        Moderator moderator = new Moderator(
                new UploadImageSource(1000, java.util.Optional.empty()),
                bytes -> new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB),
                image -> new float[] {0},
                batch -> batch.stream().map(pixels -> embedding).toArray(float[][]::new),
                () -> policy,
                new ModelIdentity("fake-model", "1"),
                Clock.systemUTC());

        ModerationResult feed = moderate(moderator, Map.of("surface", "feed"));
        assertEquals("review", feed.getAction());
        assertEquals(0.5, feed.getLabels().get(0).getThreshold());

        ModerationResult contest = moderate(moderator, Map.of("surface", "beach_contest"));
        assertEquals("allow", contest.getAction(), "0.7 is under the slice's 0.8");
        assertEquals(0.8, contest.getLabels().get(0).getThreshold(), "the threshold applied is recorded");
        assertEquals(false, contest.getLabels().get(0).getFired());
    }

    private static ModerationResult moderate(Moderator moderator, Map<String, String> attributes) {
        UploadedImage upload = UploadedImage.newBuilder()
                .setUploadId("u-" + attributes.get("surface"))
                .setUploadedAt(Instant.EPOCH)
                .setImageBytes(ByteBuffer.wrap(new byte[] {1}))
                .setAttributes(attributes)
                .build();
        Outcome outcome = moderator.moderate(upload, new SourceCoordinates("uploads", 0, 0));
        return ((Outcome.Scored) outcome).result();
    }
}
