package io.clipguard.it;

import io.clipguard.app.ModerationApp;
import io.clipguard.cli.RunCommand;
import io.clipguard.config.ConfigLoader;
import io.clipguard.encode.ImageEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code run --config FILE} as the real command runs it, with the real encoder wrapped to fail as
 * told by system properties: {@code fault.encoder.error-at-batch=N} throws an {@code Error} from the
 * N-th batch (once); {@code fault.encoder.hang-at-batch=H} never returns from the H-th batch (a hung
 * driver); {@code fault.encoder.slow-ms=M} with {@code fault.encoder.slow-from-batch=A} and
 * {@code fault.encoder.slow-batches=B} makes B batches from the A-th take M ms longer.
 */
public final class FaultInjectingMain {

    private FaultInjectingMain() {}

    public static void main(String[] args) throws Exception {
        RunCommand.serveUntilStopped(ModerationApp.start(ConfigLoader.load(Path.of(args[2])), FaultyEncoder::new));
    }

    private static final class FaultyEncoder implements ImageEncoder {
        private final ImageEncoder real;
        private final AtomicInteger batches = new AtomicInteger();
        private final int errorAt = Integer.getInteger("fault.encoder.error-at-batch", -1);
        private final int hangAt = Integer.getInteger("fault.encoder.hang-at-batch", -1);
        private final int slowMillis = Integer.getInteger("fault.encoder.slow-ms", 0);
        private final int slowFrom = Integer.getInteger("fault.encoder.slow-from-batch", 0);
        private final int slowBatches = Integer.getInteger("fault.encoder.slow-batches", 0);

        FaultyEncoder(ImageEncoder real) {
            this.real = real;
        }

        @Override
        public float[][] encode(List<float[]> pixelBatch) {
            int batch = batches.incrementAndGet();
            if (batch == errorAt) {
                System.err.println("fault injected: Error from encoder batch " + batch);
                throw new InternalError("injected engine failure in batch " + batch);
            }
            if (batch == hangAt) {
                System.err.println("fault injected: encoder batch " + batch + " hangs");
                while (true) { // a driver call that never returns, whatever interrupts it
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException ignored) {
                        // still hung
                    }
                }
            }
            if (slowMillis > 0 && batch >= slowFrom && batch < slowFrom + slowBatches) {
                try {
                    Thread.sleep(slowMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.encode(pixelBatch);
        }

        @Override
        public int embeddingDim() {
            return real.embeddingDim();
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
