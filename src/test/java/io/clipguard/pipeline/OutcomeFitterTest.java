package io.clipguard.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.Timings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeFitterTest {

    private static final int LIMIT = 64 * 1024;
    private final OutcomeFitter fitter = new OutcomeFitter(LIMIT);

    @Test
    void anOutcomeThatFitsIsReturnedAsItIs() {
        Outcome scored = new Outcome.Scored(result("u1", Map.of("surface", "profile")));
        assertSame(scored, fitter.fit(scored));
        Outcome failed = new Outcome.Failed(error("u1", "not an image"));
        assertSame(failed, fitter.fit(failed));
    }

    @Test
    void attributesAreCutThenDroppedLargestFirstUntilTheResultFits() {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            attributes.put("k" + i, "v".repeat(i < 10 ? 50_000 : 100));
        }
        attributes.put("surface", "profile");
        ModerationResult fitted = ((Outcome.Scored) fitter.fit(new Outcome.Scored(result("u1", attributes)))).result();

        assertTrue(bytes(fitted) <= LIMIT, bytes(fitted) + " bytes");
        assertEquals("u1", fitted.getUploadId());
        assertEquals("profile", fitted.getAttributes().get("surface"), "small attributes are kept");
        String marker = fitted.getAttributes().get(OutcomeFitter.CUT_ATTRIBUTE);
        assertTrue(marker.startsWith("attributes: 10 values cut to 256 bytes"), marker);
        assertTrue(fitted.getAttributes().get("k0").endsWith("[cut from 50000 bytes]"));
    }

    @Test
    void theShadowResultIsCutAlike() {
        Map<String, String> attributes = Map.of("big", "x".repeat(200_000));
        Outcome.Scored fitted =
                (Outcome.Scored) fitter.fit(new Outcome.Scored(result("u1", attributes), result("u1", attributes)));
        assertEquals(fitted.result().getAttributes(), fitted.shadow().getAttributes());
        assertTrue(bytes(fitted.shadow()) <= LIMIT);
    }

    @Test
    void aHugeIdIsCutInTheResultAndTheDeadLetterAndSaysSo() {
        String id = "é".repeat(100_000); // two UTF-8 bytes each
        ModerationResult fitted = ((Outcome.Scored) fitter.fit(new Outcome.Scored(result(id, Map.of())))).result();
        assertTrue(fitted.getUploadId().endsWith("...[cut from 200000 bytes]"));
        assertTrue(fitted.getAttributes().get(OutcomeFitter.CUT_ATTRIBUTE).contains("upload_id cut from 200000 bytes"));
        assertTrue(bytes(fitted) + fitted.getUploadId().length() * 2 <= LIMIT);

        ModerationError error = ((Outcome.Failed) fitter.fit(new Outcome.Failed(error(id, "bad")))).error();
        assertTrue(error.getUploadId().endsWith("...[cut from 200000 bytes]"));
        assertTrue(error.getMessage().startsWith("bad [upload_id cut from 200000 bytes]"), error.getMessage());
    }

    @Test
    void aDeadLettersMessageIsNeverLongerThanAFewKilobytes() {
        ModerationError error =
                ((Outcome.Failed) fitter.fit(new Outcome.Failed(error("u1", "m".repeat(100_000))))).error();
        assertEquals("u1", error.getUploadId());
        assertTrue(error.getMessage().endsWith("...[cut from 100000 bytes]"));
        assertTrue(error.getMessage().length() < OutcomeFitter.MAX_MESSAGE_BYTES + 100);
    }

    @Test
    void cutsNeverSplitACharacter() {
        String cut = OutcomeFitter.cut("a😀😀", 4); // 1 + 4 + 4 bytes
        assertEquals("a...[cut from 9 bytes]", cut);
        assertEquals(9, OutcomeFitter.utf8Length("a😀😀"));
        assertEquals("a😀😀".getBytes(StandardCharsets.UTF_8).length, OutcomeFitter.utf8Length("a😀😀"));
    }

    private static long bytes(ModerationResult result) {
        return OutcomeFitter.avroBytes(result)
                + result.getUploadId().getBytes(StandardCharsets.UTF_8).length
                + OutcomeFitter.RECORD_OVERHEAD_BYTES;
    }

    private static ModerationResult result(String id, Map<String, String> attributes) {
        return ModerationResult.newBuilder()
                .setUploadId(id)
                .setFlagged(false)
                .setAction("allow")
                .setLabels(List.of())
                .setModelId("m")
                .setModelVersion("1")
                .setPolicyId("p")
                .setPolicyVersion("1")
                .setUploadedAt(Instant.EPOCH)
                .setDecidedAt(Instant.EPOCH)
                .setTimings(new Timings(0.0, 0.0, 0.0, 0.0))
                .setAttributes(attributes)
                .build();
    }

    private static ModerationError error(String id, String message) {
        return ModerationError.newBuilder()
                .setUploadId(id)
                .setReason("IMAGE_UNDECODABLE")
                .setMessage(message)
                .setSourceTopic("uploads")
                .setSourcePartition(0)
                .setSourceOffset(1)
                .setFailedAt(Instant.EPOCH)
                .build();
    }
}
