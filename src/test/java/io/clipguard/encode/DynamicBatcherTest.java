package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

    /** Echoes each input as its embedding and records batch sizes; can be held or made to fail. */
    private static final class FakeEncoder implements ImageEncoder {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final CountDownLatch release;
        final RuntimeException failure;

        FakeEncoder(CountDownLatch release, RuntimeException failure) {
            this.release = release;
            this.failure = failure;
        }

        @Override
        public float[][] encode(List<float[]> pixelBatch) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batchSizes.add(pixelBatch.size());
            if (failure != null) {
                throw failure;
            }
            return pixelBatch.toArray(float[][]::new);
        }

        @Override
        public int embeddingDim() {
            return 1;
        }

        @Override
        public void close() {}
    }

    private static FakeEncoder running() {
        return new FakeEncoder(new CountDownLatch(0), null);
    }

    @Test
    void dispatchesAFullBatchWithoutWaitingForTheDelay() throws Exception {
        FakeEncoder encoder = running();
        try (DynamicBatcher batcher = new DynamicBatcher(
                encoder, new BatchingConfig(4, Duration.ofMinutes(5), 16), 1, DynamicBatcher.BatchListener.NONE)) {
            List<CompletableFuture<DynamicBatcher.Embedded>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(batcher.submit(new float[] {i}));
            }
            for (int i = 0; i < 4; i++) {
                DynamicBatcher.Embedded embedded = results.get(i).get(10, TimeUnit.SECONDS);
                assertArrayEquals(new float[] {i}, embedded.embedding(), "each request gets its own embedding");
                assertEquals(4, embedded.batchSize());
            }
            assertEquals(List.of(4), encoder.batchSizes);
        }
    }

    @Test
    void dispatchesAPartialBatchOnceTheOldestHasWaitedMaxDelay() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ImageEncoder holdsTheFirstCall = LambdaEncoder.of(1, pixelBatch -> {
            if (pixelBatch.get(0)[0] == 0) { // the blocker: both others queue up while it is encoded
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return pixelBatch.toArray(float[][]::new);
        });
        try (DynamicBatcher batcher = new DynamicBatcher(
                holdsTheFirstCall,
                new BatchingConfig(32, Duration.ofMillis(30), 64),
                1,
                DynamicBatcher.BatchListener.NONE)) {
            CompletableFuture<DynamicBatcher.Embedded> blocker = batcher.submit(new float[] {0});
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<DynamicBatcher.Embedded> first = batcher.submit(new float[] {1});
            CompletableFuture<DynamicBatcher.Embedded> second = batcher.submit(new float[] {2});
            release.countDown();
            assertEquals(1, blocker.get(10, TimeUnit.SECONDS).batchSize());
            assertEquals(2, first.get(10, TimeUnit.SECONDS).batchSize(), "not 32: left once the oldest had waited");
            assertEquals(2, second.get(10, TimeUnit.SECONDS).batchSize());
        }
    }

    @Test
    void neverExceedsMaxBatchSize() throws Exception {
        FakeEncoder encoder = running();
        try (DynamicBatcher batcher = new DynamicBatcher(
                encoder, new BatchingConfig(3, Duration.ofMillis(20), 100), 2, DynamicBatcher.BatchListener.NONE)) {
            List<CompletableFuture<DynamicBatcher.Embedded>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(batcher.submit(new float[] {i}));
            }
            for (CompletableFuture<DynamicBatcher.Embedded> result : results) {
                result.get(10, TimeUnit.SECONDS);
            }
            assertEquals(
                    50, encoder.batchSizes.stream().mapToInt(Integer::intValue).sum());
            assertTrue(encoder.batchSizes.stream().allMatch(size -> size <= 3), encoder.batchSizes.toString());
        }
    }

    @Test
    void submitBlocksWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeEncoder encoder = new FakeEncoder(release, null);
        try (DynamicBatcher batcher = new DynamicBatcher(
                encoder, new BatchingConfig(1, Duration.ZERO, 2), 1, DynamicBatcher.BatchListener.NONE)) {
            batcher.submit(new float[] {0});
            awaitCondition(() -> batcher.queued() == 0); // taken by the held encoder
            batcher.submit(new float[] {1});
            batcher.submit(new float[] {2});
            AtomicReference<CompletableFuture<DynamicBatcher.Embedded>> blocked = new AtomicReference<>();
            Thread submitter = new Thread(() -> {
                try {
                    blocked.set(batcher.submit(new float[] {3}));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            submitter.start();
            awaitCondition(() -> submitter.getState() == Thread.State.WAITING);
            assertEquals(null, blocked.get(), "the fourth submit waits for room");
            release.countDown();
            submitter.join(10_000);
            assertFalse(submitter.isAlive());
            assertArrayEquals(
                    new float[] {3}, blocked.get().get(10, TimeUnit.SECONDS).embedding());
        }
    }

    @Test
    void encoderFailingForEveryoneFailsEachImageAsNotItsFault() throws Exception {
        FakeEncoder encoder = new FakeEncoder(new CountDownLatch(0), new EncoderException("boom"));
        try (DynamicBatcher batcher = new DynamicBatcher(
                encoder, new BatchingConfig(2, Duration.ofSeconds(5), 4), 1, DynamicBatcher.BatchListener.NONE)) {
            CompletableFuture<DynamicBatcher.Embedded> a = batcher.submit(new float[] {1});
            CompletableFuture<DynamicBatcher.Embedded> b = batcher.submit(new float[] {2});
            for (CompletableFuture<DynamicBatcher.Embedded> result : List.of(a, b)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
                EncodeFailedException failure = assertInstanceOf(EncodeFailedException.class, e.getCause());
                assertFalse(failure.suspect(), "the engine failed for everyone: retry, never a dead letter");
            }
            assertTrue(batcher.consecutiveFailures() > 0);
        }
    }

    /** Fails every batch that holds the poisoned value; encodes the rest. */
    private static ImageEncoder poisonedBy(float poison, Throwable failure) {
        return LambdaEncoder.of(1, pixelBatch -> {
            if (pixelBatch.stream().anyMatch(pixels -> pixels[0] == poison)) {
                sneakyThrow(failure);
            }
            return pixelBatch.toArray(float[][]::new);
        });
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    @Test
    void oneBadImageFailsAloneAsASuspectAndTheRestOfItsBatchIsEncoded() throws Exception {
        try (DynamicBatcher batcher = new DynamicBatcher(
                poisonedBy(2, new EncoderException("bad tensor")),
                new BatchingConfig(3, Duration.ofSeconds(5), 8),
                1,
                DynamicBatcher.BatchListener.NONE)) {
            CompletableFuture<DynamicBatcher.Embedded> a = batcher.submit(new float[] {1});
            CompletableFuture<DynamicBatcher.Embedded> bad = batcher.submit(new float[] {2});
            CompletableFuture<DynamicBatcher.Embedded> c = batcher.submit(new float[] {3});
            assertArrayEquals(new float[] {1}, a.get(10, TimeUnit.SECONDS).embedding());
            assertArrayEquals(new float[] {3}, c.get(10, TimeUnit.SECONDS).embedding());
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
            assertTrue(
                    assertInstanceOf(EncodeFailedException.class, e.getCause()).suspect(),
                    "suspect, not proven: blamed only if it keeps failing alone");
        }
    }

    @Test
    void anImageFailingAloneRightAfterTheEncoderWorkedIsSuspectNotInnocent() throws Exception {
        try (DynamicBatcher batcher = new DynamicBatcher(
                poisonedBy(2, new EncoderException("bad tensor")),
                new BatchingConfig(1, Duration.ZERO, 8),
                1,
                DynamicBatcher.BatchListener.NONE)) {
            batcher.submit(new float[] {1}).get(10, TimeUnit.SECONDS);
            CompletableFuture<DynamicBatcher.Embedded> bad = batcher.submit(new float[] {2});
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
            EncodeFailedException failure = assertInstanceOf(EncodeFailedException.class, e.getCause());
            assertTrue(failure.suspect(), "but the encoder worked just before: blamed if it keeps failing");
            CompletableFuture<DynamicBatcher.Embedded> again = batcher.submit(new float[] {2});
            ExecutionException second = assertThrows(ExecutionException.class, () -> again.get(10, TimeUnit.SECONDS));
            assertFalse(
                    assertInstanceOf(EncodeFailedException.class, second.getCause())
                            .suspect(),
                    "after a failure the engine is not known to work: not suspect");
        }
    }

    @Test
    void dispatcherSurvivesAnErrorFromTheEncoderAndCompletesItsBatch() throws Exception {
        AtomicReference<Boolean> thrown = new AtomicReference<>(false);
        ImageEncoder throwsErrorOnce = LambdaEncoder.of(1, pixelBatch -> {
            if (!thrown.getAndSet(true)) {
                throw new StackOverflowError("native stack exhausted");
            }
            return pixelBatch.toArray(float[][]::new);
        });
        try (DynamicBatcher batcher = new DynamicBatcher(
                throwsErrorOnce, new BatchingConfig(1, Duration.ZERO, 4), 1, DynamicBatcher.BatchListener.NONE)) {
            CompletableFuture<DynamicBatcher.Embedded> first = batcher.submit(new float[] {1});
            ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
            assertFalse(
                    assertInstanceOf(EncodeFailedException.class, e.getCause()).suspect());
            assertArrayEquals(
                    new float[] {2},
                    batcher.submit(new float[] {2}).get(10, TimeUnit.SECONDS).embedding(),
                    "the dispatcher is still alive");
            assertTrue(batcher.dispatchersAlive());
            assertEquals(0, batcher.consecutiveFailures());
        }
    }

    @Test
    void closeFailsWhatIsQueuedAndWhatComesLaterInsteadOfDroppingIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeEncoder held = new FakeEncoder(release, null);
        DynamicBatcher batcher =
                new DynamicBatcher(held, new BatchingConfig(1, Duration.ZERO, 4), 1, DynamicBatcher.BatchListener.NONE);
        CompletableFuture<DynamicBatcher.Embedded> inEncoder = batcher.submit(new float[] {0});
        awaitCondition(() -> batcher.queued() == 0);
        CompletableFuture<DynamicBatcher.Embedded> queued = batcher.submit(new float[] {1});
        Thread closer = new Thread(batcher::close);
        closer.start();
        awaitCondition(() -> queued.isDone());
        release.countDown();
        closer.join(10_000);
        ExecutionException e = assertThrows(ExecutionException.class, () -> queued.get(1, TimeUnit.SECONDS));
        assertFalse(assertInstanceOf(EncodeFailedException.class, e.getCause()).suspect());
        assertTrue(inEncoder.get(10, TimeUnit.SECONDS) != null, "the batch in the encoder still completes");
        CompletableFuture<DynamicBatcher.Embedded> late = batcher.submit(new float[] {2});
        assertTrue(late.isCompletedExceptionally(), "a request after close fails at once, it is never stranded");
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
