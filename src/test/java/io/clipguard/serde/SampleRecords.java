package io.clipguard.serde;

import io.clipguard.avro.LabelScore;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.Timings;
import io.clipguard.avro.UploadedImage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic records of the project's own schemas, for serde tests. */
final class SampleRecords {
    static final Instant UPLOADED_AT = Instant.parse("2025-03-01T12:00:00.123Z");

    private SampleRecords() {}

    static UploadedImage upload(String uploadId) {
        return UploadedImage.newBuilder()
                .setUploadId(uploadId)
                .setUploadedAt(UPLOADED_AT)
                .setContentType("image/jpeg")
                .setImageBytes(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 7}))
                .setImageUri(null)
                .setAttributes(Map.of("uploader_id", "u-17", "surface", "profile"))
                .build();
    }

    static ModerationResult result(String uploadId) {
        return ModerationResult.newBuilder()
                .setUploadId(uploadId)
                .setFlagged(true)
                .setAction("review")
                .setDecidingLabel("weapon")
                .setReviewQueue("safety")
                .setLabels(List.of(
                        LabelScore.newBuilder()
                                .setLabel("weapon")
                                .setScore(0.31)
                                .setThreshold(0.25)
                                .setFired(true)
                                .setAction("review")
                                .build(),
                        LabelScore.newBuilder()
                                .setLabel("nudity")
                                .setScore(0.02)
                                .setThreshold(0.3)
                                .setFired(false)
                                .build()))
                .setModelId("clip-vit-b32")
                .setModelVersion("1")
                .setPolicyId("default")
                .setPolicyVersion("2025-03-01")
                .setUploadedAt(UPLOADED_AT)
                .setDecidedAt(UPLOADED_AT.plusMillis(48))
                .setTimings(Timings.newBuilder()
                        .setDecodeMs(4.5)
                        .setPreprocessMs(1.25)
                        .setEncodeMs(40.0)
                        .setScoreMs(0.1)
                        .build())
                .setAttributes(Map.of("surface", "profile"))
                .build();
    }
}
