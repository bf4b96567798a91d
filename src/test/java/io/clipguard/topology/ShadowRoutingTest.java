package io.clipguard.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.ingest.UploadImageSource;
import io.clipguard.pipeline.ModelIdentity;
import io.clipguard.pipeline.Moderator;
import io.clipguard.policy.Action;
import io.clipguard.policy.DecisionRule;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import io.clipguard.testing.PlainAvroSerde;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * A shadow policy scored beside the live one: its result reaches the shadow topic only where its
 * decision differs; the live results are untouched. Fake stages: an "image" is one byte naming the
 * axis its embedding points along.
 */
class ShadowRoutingTest {

    private static final Serde<UploadedImage> UPLOADS = PlainAvroSerde.of(UploadedImage.class);
    private static final Serde<ModerationResult> RESULTS = PlainAvroSerde.of(ModerationResult.class);

    private static EmbeddedPolicy policy(String id, Action green) {
        Policy policy = new Policy(
                id,
                "1",
                DecisionRule.COSINE_MARGIN,
                List.of(
                        new Label("red", "", List.of("red"), Action.BLOCK, 3, 0.5, "urgent"),
                        new Label("green", "", List.of("green"), green, 2, 0.5, "general"),
                        new Label("blue", "", List.of("blue"), Action.ALLOW, 1, 0.5, "none")));
        return new EmbeddedPolicy(policy, "fake-model", 100f, List.of(axis(0), axis(1), axis(2)));
    }

    private static float[] axis(int index) {
        float[] vector = new float[3];
        vector[index] = 1;
        return vector;
    }

    @Test
    void onlyDecisionsThatDifferReachTheShadowTopic() {
        EmbeddedPolicy live = policy("colours", Action.REVIEW);
        EmbeddedPolicy candidate = policy("colours-candidate", Action.BLOCK);
        Moderator moderator = new Moderator(
                new UploadImageSource(1000, java.util.Optional.empty()),
                bytes -> {
                    BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
                    image.setRGB(0, 0, bytes[0]);
                    return image;
                },
                image -> new float[] {image.getRGB(0, 0) & 0xFF},
                batch -> batch.stream().map(pixels -> axis((int) pixels[0])).toArray(float[][]::new),
                () -> live,
                () -> candidate,
                new ModelIdentity("fake-model", "1"),
                Clock.systemUTC());
        ModerationTopics topics =
                ModerationTopics.of(TopicNames.DEFAULTS, UPLOADS, RESULTS, PlainAvroSerde.of(ModerationError.class));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "shadow-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        try (TopologyTestDriver driver = new TopologyTestDriver(
                ModerationTopology.perRecord(topics, moderator, e -> false, io.clipguard.metrics.PipelineMetrics.NONE),
                config)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(
                    "uploads",
                    Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, ModerationResult> scored = driver.createOutputTopic(
                    "moderation.scored", Serdes.String().deserializer(), RESULTS.deserializer());
            TestOutputTopic<String, ModerationResult> shadow = driver.createOutputTopic(
                    "moderation.shadow", Serdes.String().deserializer(), RESULTS.deserializer());
            for (int colour = 0; colour < 3; colour++) {
                input.pipeInput(null, UPLOADS.serializer().serialize("uploads", upload("u" + colour, colour)));
            }

            List<ModerationResult> liveResults = scored.readValuesToList();
            assertEquals(
                    List.of("block", "review", "allow"),
                    liveResults.stream().map(ModerationResult::getAction).toList());
            liveResults.forEach(result -> assertEquals("colours", result.getPolicyId()));
            // each live result says what the shadow decided, and where its upload event was read
            assertEquals("block", liveResults.get(1).getShadowDecision().getAction());
            assertEquals(
                    "colours-candidate", liveResults.get(1).getShadowDecision().getPolicyId());
            assertEquals("block", liveResults.get(0).getShadowDecision().getAction());
            assertEquals("uploads", liveResults.get(2).getSource().getTopic());
            assertEquals(2L, liveResults.get(2).getSource().getOffset());
            var differing = shadow.readKeyValuesToList();
            assertEquals(1, differing.size());
            assertEquals("u1", differing.get(0).key);
            assertEquals("block", differing.get(0).value.getAction());
            assertEquals("colours-candidate", differing.get(0).value.getPolicyId());
        }
    }

    private static UploadedImage upload(String id, int colour) {
        return UploadedImage.newBuilder()
                .setUploadId(id)
                .setUploadedAt(Instant.EPOCH)
                .setImageBytes(ByteBuffer.wrap(new byte[] {(byte) colour}))
                .build();
    }
}
