package io.clipguard.bench;

import io.clipguard.encode.ImageEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The limit: the raw image encoder alone, on ready tensors, at several batch sizes. */
final class EncoderBench {

    private EncoderBench() {}

    /**
     * Images per second at each batch size: the median of {@code rounds} timed rounds, each at least
     * {@code minRoundSeconds} long, after one warm-up batch.
     */
    static Map<Integer, Double> imagesPerSecond(
            ImageEncoder encoder, List<float[]> tensors, List<Integer> batchSizes, int rounds, double minRoundSeconds) {
        Map<Integer, Double> results = new LinkedHashMap<>();
        for (int batchSize : batchSizes) {
            List<float[]> batch = new ArrayList<>();
            for (int i = 0; i < batchSize; i++) {
                batch.add(tensors.get(i % tensors.size()));
            }
            encoder.encode(batch);
            double[] perRound = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                int images = 0;
                do {
                    encoder.encode(batch);
                    images += batchSize;
                } while ((System.nanoTime() - start) / 1e9 < minRoundSeconds);
                perRound[round] = images / ((System.nanoTime() - start) / 1e9);
            }
            java.util.Arrays.sort(perRound);
            results.put(batchSize, perRound[rounds / 2]);
        }
        return results;
    }
}
