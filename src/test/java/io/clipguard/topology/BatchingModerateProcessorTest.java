package io.clipguard.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.UploadedImage;
import io.clipguard.encode.BatchingConfig;
import io.clipguard.encode.DynamicBatcher;
import io.clipguard.encode.ImageEncoder;
import io.clipguard.encode.LambdaEncoder;
import io.clipguard.ingest.UploadImageSource;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.pipeline.AsyncModerator;
import io.clipguard.pipeline.ByteBudget;
import io.clipguard.pipeline.ModelIdentity;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.policy.Action;
import io.clipguard.policy.DecisionRule;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import io.clipguard.testing.PlainAvroSerde;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batched processor alone, driven the way Kafka Streams drives it (init, process, punctuate,
 * close, init again on the same instance), over a real dynamic batcher whose encoder the test holds
 * and releases.
 */
class BatchingModerateProcessorTest {

    private final Serde<UploadedImage> uploads = PlainAvroSerde.of(UploadedImage.class);
    private final Semaphore encoderPermits = new Semaphore(0);
    private final AtomicInteger encoded = new AtomicInteger();
    private ExecutorService fetchPool;
    private ExecutorService cpuPool;
    private DynamicBatcher batcher;
    private AsyncModerator async;
    private Moderator moderator;
    private MockProcessorContext<String, Outcome> context;
    private KeyValueStore<String, InFlightUpload> store;
    private final RememberingLoader loader = new RememberingLoader();

    @BeforeEach
    void setUp() {
        RegistryPause.succeeded(); // per thread: an earlier test on this thread may have left one
        Policy policy = new Policy(
                "colours",
                "1",
                DecisionRule.COSINE_MARGIN,
                List.of(new Label("red", "", List.of("red"), Action.BLOCK, 1, 0.5, "urgent")));
        EmbeddedPolicy embedded = new EmbeddedPolicy(policy, "fake-model", 100f, List.of(new float[] {1}));
        moderator = new Moderator(
                new UploadImageSource(1 << 20, Optional.empty()),
                bytes -> new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB),
                image -> new float[] {1},
                batch -> {
                    throw new AssertionError("the batched path encodes through the batcher");
                },
                () -> embedded,
                new ModelIdentity("fake-model", "1"),
                Clock.systemUTC());
        ImageEncoder heldEncoder = LambdaEncoder.of(1, pixelBatch -> {
            encoderPermits.acquireUninterruptibly(pixelBatch.size());
            encoded.addAndGet(pixelBatch.size());
            return pixelBatch.toArray(float[][]::new);
        });
        fetchPool = Executors.newFixedThreadPool(2);
        cpuPool = Executors.newFixedThreadPool(2);
        batcher = new DynamicBatcher(
                heldEncoder, new BatchingConfig(1, Duration.ZERO, 16), 1, DynamicBatcher.BatchListener.NONE);
        async = new AsyncModerator(
                moderator, fetchPool, cpuPool, batcher, PipelineMetrics.NONE, Duration.ofSeconds(30));
        context = new MockProcessorContext<>();
        store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(BatchingModerateProcessor.STORE),
                        Serdes.String(),
                        InFlightUpload.serde())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    @AfterEach
    void tearDown() {
        encoderPermits.release(1000);
        async.close();
        batcher.close();
    }

    private BatchingModerateProcessor processor(Admission admission) {
        return new BatchingModerateProcessor(uploads.deserializer(), moderator, async, e -> false, admission, loader);
    }

    private static Admission roomy() {
        return new Admission(new ByteBudget(64L << 20), Duration.ofSeconds(2), 1 << 20);
    }

    private void process(BatchingModerateProcessor processor, String id, long offset, int imageBytes) {
        processOn(processor, context, 0, id, offset, imageBytes);
    }

    /** Processes an upload on {@code on}, a task of partition {@code partition}, remembered by the loader. */
    private void processOn(
            BatchingModerateProcessor processor,
            MockProcessorContext<String, Outcome> on,
            int partition,
            String id,
            long offset,
            int imageBytes) {
        on.setRecordMetadata("uploads", partition, offset);
        UploadedImage upload = UploadedImage.newBuilder()
                .setUploadId(id)
                .setUploadedAt(Instant.EPOCH)
                .setImageBytes(ByteBuffer.wrap(new byte[imageBytes]))
                .build();
        byte[] event = uploads.serializer().serialize("uploads", upload);
        loader.remember(new io.clipguard.pipeline.SourceCoordinates("uploads", partition, offset), null, event);
        processor.process(new Record<>(null, event, offset));
    }

    /** The in-flight store of a second task. */
    private static KeyValueStore<String, InFlightUpload> storeOn(MockProcessorContext<String, Outcome> on) {
        KeyValueStore<String, InFlightUpload> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(BatchingModerateProcessor.STORE),
                        Serdes.String(),
                        InFlightUpload.serde())
                .withLoggingDisabled()
                .build();
        store.init(on.getStateStoreContext(), store);
        on.addStateStore(store);
        return store;
    }

    /** Runs the processor's punctuator until the condition holds, as the stream thread would. */
    private void punctuateUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s; forwarded " + forwardedIds());
            }
            context.scheduledPunctuators()
                    .get(context.scheduledPunctuators().size() - 1)
                    .getPunctuator()
                    .punctuate(System.currentTimeMillis());
            Thread.sleep(2);
        }
    }

    private List<String> forwardedIds() {
        return context.forwarded().stream().map(f -> (String) f.record().key()).toList();
    }

    private long storeSize() {
        return store.approximateNumEntries();
    }

    @Test
    void processorReinitialisedAfterCloseFinishesWhatItWasDoing() throws Exception {
        BatchingModerateProcessor processor = processor(roomy());
        processor.init(context);
        process(processor, "u1", 0, 10);
        processor.close(); // a revived task: closed dirty, then init again on the same instance
        processor.init(context);
        // read again and adopted (unpark, then start, in one punctuation) while the old job still waits
        // in the encoder: released before, the old job could finish first, and the revived run would
        // start a second one on an encoder this test holds (a race of the test, not of production,
        // where the second job just encodes u1 again)
        punctuateUntil(() -> loader.loads.get() == 1);
        encoderPermits.release(1);
        punctuateUntil(() -> forwardedIds().size() == 1);
        assertEquals(List.of("u1"), forwardedIds());
        punctuateUntil(() -> storeSize() == 0);
        process(processor, "u2", 1, 10);
        encoderPermits.release(1);
        punctuateUntil(() -> forwardedIds().size() == 2);
        assertEquals(List.of("u1", "u2"), forwardedIds(), "later completions are not dropped after a revive");
        assertEquals(2, encoded.get(), "u1 was encoded once, not again after the revive");
    }

    @Test
    void outcomeOfARolledBackUploadIsNotForwardedAndTheReplayIsNotSkipped() throws Exception {
        BatchingModerateProcessor processor = processor(roomy());
        processor.init(context);
        process(processor, "u1", 0, 10);
        processor.close(); // closed dirty while u1 is in the encoder
        store.delete(InFlightUpload.key("uploads", 0, 0)); // the dirty close rolled back the store write
        encoderPermits.release(1); // u1's job finishes after the close: its outcome belongs to no run
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((encoded.get() < 1 || async.inProgress() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        processor.init(context);
        for (int i = 0; i < 20; i++) {
            context.scheduledPunctuators()
                    .get(context.scheduledPunctuators().size() - 1)
                    .getPunctuator()
                    .punctuate(0);
        }
        assertEquals(List.of(), forwardedIds(), "a stale outcome from before the close is not forwarded");
        process(processor, "u1", 0, 10); // the input replays the event from the last commit
        encoderPermits.release(1);
        punctuateUntil(() -> forwardedIds().size() == 1);
        assertEquals(List.of("u1"), forwardedIds());
    }

    @Test
    void streamThreadWaitsForRoomNoLongerThanMaxBlockThenParksTheUpload() throws Exception {
        Admission tight = new Admission(new ByteBudget(60_000), Duration.ofMillis(300), 1 << 20); // one upload fits
        tight.loopReached();
        BatchingModerateProcessor processor = processor(tight);
        processor.init(context);
        process(processor, "u1", 0, 20_000); // holds the budget: the encoder is held
        long start = System.nanoTime();
        process(processor, "u2", 1, 20_000);
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= 250 && waitedMillis < 5_000, "waited " + waitedMillis + " ms");
        assertEquals(2, storeSize(), "parked, not dropped");
        assertEquals(1, tight.parked().size());
        assertTrue(tight.budget().usedBytes() <= tight.budget().capacityBytes(), "never let in over the budget");
        assertEquals(0, tight.budget().overrunBytesTotal());

        encoderPermits.release(2);
        punctuateUntil(() -> forwardedIds().size() == 2);
        assertEquals(List.of("u1", "u2"), forwardedIds(), "the parked upload was read again and finished");
        assertEquals(0, tight.parked().size());
        assertEquals(1, loader.loads.get());
    }

    /** Regression: a backlog was let in over the budget pass after pass while the pipeline was stalled. */
    @Test
    void aStalledPipelineParksUploadsAndTheBudgetHolds() throws Exception {
        Admission tight = new Admission(new ByteBudget(100_000), Duration.ofMillis(50), 1 << 20);
        BatchingModerateProcessor processor = processor(tight);
        processor.init(context);
        for (int pass = 0; pass < 5; pass++) {
            tight.loopReached(); // a new pass of the stream thread's loop: its wait allowance is back
            for (int i = 0; i < 20; i++) {
                process(processor, "u" + (pass * 20 + i), pass * 20 + i, 20_000);
            }
        }
        assertTrue(tight.budget().usedBytes() <= 100_000, tight.budget().usedBytes() + " bytes held");
        assertEquals(0, tight.budget().overrunBytesTotal());
        assertEquals(100, storeSize(), "every upload kept");
        assertEquals(98, tight.parked().size(), "two at work, the rest waiting with no bytes held");
        assertTrue(
                store.get(InFlightUpload.key("uploads", 0, 99)).event() == null,
                "the store keeps where the event is, not its bytes");
        encoderPermits.release(1000);
        punctuateUntil(() -> forwardedIds().size() == 100);
        assertEquals(0, tight.parked().size());
        assertEquals(0, tight.budget().usedBytes());
    }

    @Test
    void resumingAfterARestartAdmitsWithinTheBudget() throws Exception {
        Admission tight = new Admission(new ByteBudget(100_000), Duration.ofMillis(50), 1 << 20);
        BatchingModerateProcessor before = processor(tight);
        before.init(context);
        for (int i = 0; i < 10; i++) {
            process(before, "u" + i, i, 20_000);
        }
        before.close(); // the instance stops; another (here: a new processor) resumes the task
        async.orphan(List.of()); // nothing to adopt
        BatchingModerateProcessor after = processor(tight);
        after.init(context);
        assertTrue(tight.budget().usedBytes() <= 100_000, "resumed within the budget");
        encoderPermits.release(1000);
        punctuateUntil(() -> forwardedIds().size() >= 10);
        assertEquals(
                java.util.Set.of("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"),
                new java.util.HashSet<>(forwardedIds()));
    }

    @Test
    void anEventGoneFromItsTopicBeforeItWasReadAgainIsDeadLettered() throws Exception {
        Admission tight = new Admission(new ByteBudget(60_000), Duration.ofMillis(50), 1 << 20);
        BatchingModerateProcessor processor = processor(tight);
        processor.init(context);
        process(processor, "u1", 0, 20_000);
        process(processor, "u2", 1, 20_000); // parked
        loader.forget(new io.clipguard.pipeline.SourceCoordinates("uploads", 0, 1));
        encoderPermits.release(10);
        punctuateUntil(() -> forwardedIds().size() == 2);
        Outcome gone = context.forwarded().get(1).record().value();
        assertEquals("EVENT_UNAVAILABLE", ((Outcome.Failed) gone).error().getReason());
        assertEquals(1L, ((Outcome.Failed) gone).error().getSourceOffset());
    }

    @Test
    void waitBoundHoldsBetweenCommitsNotPerUpload() {
        Admission tight = new Admission(new ByteBudget(60_000), Duration.ofMillis(300), 1 << 20); // one upload fits
        tight.loopReached();
        BatchingModerateProcessor processor = processor(tight);
        processor.init(context);
        process(processor, "u1", 0, 10_000);
        long start = System.nanoTime();
        for (int i = 1; i <= 5; i++) { // five records before the thread gets back to its loop
            process(processor, "u" + i, i, 10_000);
        }
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis < 1_000, "five uploads waited " + waitedMillis + " ms in all, not 5 x 300 ms");
        assertEquals(6, storeSize());
    }

    @Test
    void budgetIsReleasedWhenAnUploadIsDone() throws Exception {
        Admission admission = new Admission(new ByteBudget(1 << 20), Duration.ofSeconds(2), 1 << 20);
        BatchingModerateProcessor processor = processor(admission);
        processor.init(context);
        process(processor, "u1", 0, 100_000);
        long charged = admission.budget().usedBytes();
        long event = charged / Admission.HEAP_COPIES;
        assertTrue(event >= 100_000 && event < 100_100, "charged the event's size, twice: " + charged);
        encoderPermits.release(1);
        punctuateUntil(() -> forwardedIds().size() == 1);
        assertEquals(0, admission.budget().usedBytes());
        processor.close();
        assertEquals(0, admission.budget().usedBytes());
    }

    @Test
    void eventTooLargeForTheInFlightStoreIsDeadLetteredNotStored() {
        BatchingModerateProcessor processor =
                processor(new Admission(new ByteBudget(64L << 20), Duration.ofSeconds(2), 64 * 1024));
        processor.init(context);
        process(processor, "huge", 0, 200_000);
        assertEquals(0, storeSize(), "never written to the changelog, where it would not fit");
        Outcome outcome = context.forwarded().get(0).record().value();
        assertEquals("IMAGE_TOO_LARGE", ((Outcome.Failed) outcome).error().getReason());
        assertEquals(0L, ((Outcome.Failed) outcome).error().getSourceOffset());
    }

    @Test
    void shutdownOfThePipelineNeverDeadLettersAnUpload() throws Exception {
        BatchingModerateProcessor processor = processor(roomy());
        processor.init(context);
        process(processor, "u1", 0, 10);
        process(processor, "u2", 1, 10);
        async.close(); // the instance is stopping while the stream thread still runs
        batcher.close();
        for (int i = 0; i < 50; i++) {
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
            Thread.sleep(2);
        }
        assertEquals(List.of(), forwardedIds(), "nothing forwarded, least of all a dead letter");
        assertEquals(2, storeSize(), "both stay in flight for whoever runs the task next");
    }

    /** Regression: registry pauses counted as attempts, so one suspect encoder failure then dead-lettered. */
    @Test
    void registryPausesNeverUseUpAnUploadsChancesAgainstTheEncoder() throws Exception {
        AtomicInteger encoderCalls = new AtomicInteger();
        ImageEncoder failsOnItsSecondCall = LambdaEncoder.of(1, pixelBatch -> {
            if (encoderCalls.incrementAndGet() == 2) {
                throw new IllegalStateException("a CUDA hiccup");
            }
            return pixelBatch.toArray(float[][]::new);
        });
        AtomicInteger registryFailuresLeft = new AtomicInteger(1);
        org.apache.kafka.common.serialization.Deserializer<UploadedImage> flakyRegistry = (topic, bytes) -> {
            UploadedImage upload = uploads.deserializer().deserialize(topic, bytes);
            if (upload.getUploadId().equals("u1") && registryFailuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("registry unreachable");
            }
            return upload;
        };
        try (DynamicBatcher own = new DynamicBatcher(
                        failsOnItsSecondCall,
                        new BatchingConfig(1, Duration.ZERO, 16),
                        1,
                        DynamicBatcher.BatchListener.NONE);
                AsyncModerator ownAsync = new AsyncModerator(
                        moderator,
                        Executors.newFixedThreadPool(1),
                        Executors.newFixedThreadPool(1),
                        own,
                        PipelineMetrics.NONE,
                        Duration.ofSeconds(30))) {
            BatchingModerateProcessor processor =
                    new BatchingModerateProcessor(flakyRegistry, moderator, ownAsync, e -> true, roomy(), loader);
            processor.init(context);
            process(processor, "warm", 0, 10); // the encoder works: a failure alone after it is suspect
            punctuateUntil(() -> forwardedIds().size() == 1);
            process(processor, "u1", 1, 10);
            punctuateUntil(() -> forwardedIds().size() == 2);
            Outcome outcome = context.forwarded().get(1).record().value();
            assertTrue(
                    outcome instanceof Outcome.Scored,
                    "registry failures, the pauses after them and one suspect encoder failure are no proof against u1: "
                            + outcome);
            assertEquals(3, encoderCalls.get(), "u1 was encoded again after its one failure");
        }
    }

    /** Regression: the pause after a failed registry read was per task, so a thread waited task after task. */
    @Test
    void aFailedRegistryReadPausesEveryTaskOfTheThread() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        org.apache.kafka.common.serialization.Deserializer<UploadedImage> registryDown = (topic, bytes) -> {
            reads.incrementAndGet();
            throw new IllegalStateException("registry unreachable");
        };
        BatchingModerateProcessor taskA =
                new BatchingModerateProcessor(registryDown, moderator, async, e -> true, roomy(), loader);
        BatchingModerateProcessor taskB =
                new BatchingModerateProcessor(registryDown, moderator, async, e -> true, roomy(), loader);
        taskA.init(context);
        MockProcessorContext<String, Outcome> contextB = new MockProcessorContext<>();
        KeyValueStore<String, InFlightUpload> storeB = storeOn(contextB);
        taskB.init(contextB);

        process(taskA, "a1", 0, 10);
        processOn(taskB, contextB, 1, "b1", 0, 10);

        assertEquals(1, reads.get(), "the second task of the thread did not wait on the registry right after");
        assertEquals(1, storeB.approximateNumEntries(), "its upload is kept, to be read after the pause");
        assertTrue(contextB.forwarded().isEmpty(), "and not dead-lettered");
    }

    /**
     * Regression (found in review): small uploads took every byte as it was freed, so a large parked
     * upload, with its whole partition behind it, could wait for ever. Room goes to the oldest parked
     * upload of the instance first, and nothing new is let in while any waits.
     */
    @Test
    void aLargeParkedUploadIsNotOvertakenBySmallOnes() throws Exception {
        Admission tight = new Admission(new ByteBudget(100_000), Duration.ofMillis(50), 1 << 20);
        tight.loopReached();
        BatchingModerateProcessor taskA = processor(tight);
        taskA.init(context);
        MockProcessorContext<String, Outcome> contextB = new MockProcessorContext<>();
        KeyValueStore<String, InFlightUpload> storeB = storeOn(contextB);
        BatchingModerateProcessor taskB = processor(tight);
        taskB.init(contextB);

        processOn(taskB, contextB, 1, "small-0", 0, 20_000); // at work: 40 KB of the 100 KB
        process(taskA, "big", 0, 35_000); // needs 70 KB: no room within 50 ms, parked
        assertEquals(1, tight.parked().size());
        for (int i = 1; i <= 3; i++) {
            processOn(taskB, contextB, 1, "small-" + i, i, 5_000); // 10 KB would fit, but the big one came first
        }
        assertEquals(4, tight.parked().size(), "the small ones wait behind the big one");
        assertEquals(40_000, tight.budget().usedBytes() / 1000 * 1000);

        encoderPermits.release(1000);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((context.forwarded().size() < 1 || contextB.forwarded().size() < 4) && System.nanoTime() < deadline) {
            punctuate(context);
            punctuate(contextB);
            Thread.sleep(2);
        }
        assertEquals(1, context.forwarded().size());
        assertEquals(4, contextB.forwarded().size());
        assertEquals(
                new io.clipguard.pipeline.SourceCoordinates("uploads", 0, 0),
                loader.loaded.get(0),
                "the big upload was read again first: " + loader.loaded);
        assertEquals(0, tight.parked().size());
        assertEquals(0, tight.budget().usedBytes());
    }

    private static void punctuate(MockProcessorContext<String, Outcome> on) {
        on.scheduledPunctuators()
                .get(on.scheduledPunctuators().size() - 1)
                .getPunctuator()
                .punctuate(System.currentTimeMillis());
    }
}
