package io.clipguard.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.clipguard.avro.UploadedImage;
import io.clipguard.encode.BatchingConfig;
import io.clipguard.encode.DynamicBatcher;
import io.clipguard.encode.ImageEncoder;
import io.clipguard.encode.LambdaEncoder;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.policy.Action;
import io.clipguard.policy.DecisionRule;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncModeratorTest {

    private static final SourceCoordinates FROM = new SourceCoordinates("uploads", 0, 0);

    private final CountDownLatch slowHost = new CountDownLatch(1);
    private final AtomicInteger fetches = new AtomicInteger();
    private final ExecutorService fetchPool = Executors.newFixedThreadPool(4);
    private final ExecutorService cpuPool = Executors.newFixedThreadPool(1);
    private DynamicBatcher batcher;
    private AsyncModerator async;

    @AfterEach
    void tearDown() {
        slowHost.countDown();
        if (async != null) {
            async.close();
        }
        if (batcher != null) {
            batcher.close();
        }
    }

    /** Inline images are returned as they are; every URI is a slow host that answers when the test says. */
    private Moderator moderator(Stages.Decoder decoder) {
        Policy policy = new Policy(
                "p",
                "1",
                DecisionRule.COSINE_MARGIN,
                List.of(new Label("red", "", List.of("red"), Action.BLOCK, 1, 0.5, "urgent")));
        EmbeddedPolicy embedded = new EmbeddedPolicy(policy, "fake-model", 100f, List.of(new float[] {1}));
        Stages.ImageSource source = upload -> {
            if (upload.getImageBytes() != null) {
                return upload.getImageBytes().array();
            }
            fetches.incrementAndGet();
            try {
                slowHost.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new byte[] {1};
        };
        return new Moderator(
                source,
                decoder,
                image -> new float[] {1},
                batch -> {
                    throw new AssertionError("encoded through the batcher");
                },
                () -> embedded,
                new ModelIdentity("fake-model", "1"),
                Clock.systemUTC());
    }

    private static BufferedImage decoded(byte[] bytes) {
        return new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    }

    private AsyncModerator start(Moderator moderator, ImageEncoder encoder) {
        batcher = new DynamicBatcher(
                encoder, new BatchingConfig(4, Duration.ofMillis(1), 16), 1, DynamicBatcher.BatchListener.NONE);
        async = new AsyncModerator(
                moderator, fetchPool, cpuPool, batcher, PipelineMetrics.NONE, Duration.ofSeconds(30));
        return async;
    }

    private static ImageEncoder echo() {
        return encoder(batch -> batch.toArray(float[][]::new));
    }

    private static ImageEncoder encoder(Function<List<float[]>, float[][]> encode) {
        return LambdaEncoder.of(1, encode);
    }

    private static UploadedImage inline(String id) {
        return UploadedImage.newBuilder()
                .setUploadId(id)
                .setUploadedAt(Instant.now())
                .setImageBytes(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .build();
    }

    private static UploadedImage byUri(String id) {
        return UploadedImage.newBuilder()
                .setUploadId(id)
                .setUploadedAt(Instant.now())
                .setImageUri("https://slow.example/" + id)
                .build();
    }

    @Test
    void slowFetchesDoNotHoldTheThreadsThatDecode() throws Exception {
        AsyncModerator moderator = start(moderator(AsyncModeratorTest::decoded), echo());
        CompletableFuture<Outcome> slowA = moderator.moderate("a", byUri("a"), FROM);
        CompletableFuture<Outcome> slowB = moderator.moderate("b", byUri("b"), FROM);
        Outcome fast = moderator.moderate("c", inline("c"), FROM).get(10, TimeUnit.SECONDS);
        assertInstanceOf(Outcome.Scored.class, fast, "decoded while two slow hosts hold their fetches");
        assertFalse(slowA.isDone() || slowB.isDone());
        slowHost.countDown();
        assertInstanceOf(Outcome.Scored.class, slowA.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anUploadAskedForAgainWhileInProgressIsNotFetchedTwice() throws Exception {
        AsyncModerator moderator = start(moderator(AsyncModeratorTest::decoded), echo());
        CompletableFuture<Outcome> first = moderator.moderate("k", byUri("u"), FROM);
        moderator.orphan(List.of("k")); // its task closed ...
        CompletableFuture<Outcome> again = moderator.moderate("k", byUri("u"), FROM); // ... and came back
        assertSame(first, again);
        slowHost.countDown();
        assertInstanceOf(Outcome.Scored.class, again.get(10, TimeUnit.SECONDS));
        assertEquals(1, fetches.get());
    }

    @Test
    void encoderFailingForEveryoneIsRetriedNotDeadLettered() throws Exception {
        AsyncModerator moderator = start(moderator(AsyncModeratorTest::decoded), encoder(batch -> {
            throw new OutOfMemoryError("native allocation failed");
        }));
        Outcome outcome = moderator.moderate("k", inline("u"), FROM).get(10, TimeUnit.SECONDS);
        Outcome.Retry retry = assertInstanceOf(Outcome.Retry.class, outcome);
        assertNull(retry.lastResort(), "retried without end: the encoder is at fault, not the upload");
    }

    @Test
    void outOfMemoryWhileDecodingIsRetriedBeforeTheImageIsBlamed() throws Exception {
        AsyncModerator moderator = start(
                moderator(bytes -> {
                    throw new OutOfMemoryError("Java heap space");
                }),
                echo());
        Outcome outcome = moderator.moderate("k", inline("u"), FROM).get(10, TimeUnit.SECONDS);
        assertEquals(
                Reason.IMAGE_TOO_LARGE,
                assertInstanceOf(Outcome.Retry.class, outcome).lastResort());
    }

    @Test
    void closingTurnsUploadsInProgressIntoRetriesNotDeadLetters() throws Exception {
        AsyncModerator moderator = start(moderator(AsyncModeratorTest::decoded), echo());
        CompletableFuture<Outcome> slow = moderator.moderate("k", byUri("u"), FROM);
        Thread closer = new Thread(moderator::close);
        closer.start();
        // release the host only once the close has begun (a new upload is turned away at once), so the
        // upload in progress meets a closing pipeline at its next stage, whatever the scheduling
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!moderator.moderate("probe", inline("p"), FROM).isDone() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        slowHost.countDown();
        closer.join(10_000);
        assertInstanceOf(Outcome.Retry.class, slow.get(10, TimeUnit.SECONDS));
        assertInstanceOf(
                Outcome.Retry.class,
                moderator.moderate("later", inline("l"), FROM).get(1, TimeUnit.SECONDS));
    }

    @Test
    void imageBytesAreLetGoOnceDecoded() throws Exception {
        AsyncModerator moderator = start(moderator(AsyncModeratorTest::decoded), echo());
        UploadedImage upload = inline("u");
        assertInstanceOf(
                Outcome.Scored.class, moderator.moderate("k", upload, FROM).get(10, TimeUnit.SECONDS));
        assertNull(upload.getImageBytes());
        assertEquals(0, moderator.inProgress());
    }
}
