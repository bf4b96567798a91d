package io.clipguard.encode;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A fixed set of predictors over one loaded model, lent to one caller at a time, since a DJL
 * {@link Predictor} is not thread-safe. Closing waits for calls in flight, then closes the
 * predictors and the model.
 */
final class PredictorPool<I, O> implements AutoCloseable {

    private final ZooModel<I, O> model;
    private final List<Predictor<I, O>> all = new ArrayList<>();
    private final BlockingQueue<Predictor<I, O>> idle;
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private boolean closed;

    PredictorPool(ZooModel<I, O> model, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("encoder instances must be at least 1, got " + size);
        }
        this.model = model;
        this.idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            all.add(model.newPredictor());
        }
        idle.addAll(all);
    }

    int size() {
        return all.size();
    }

    /** Runs {@code inputs} as one batch on a free predictor, waiting for one if all are busy. */
    List<O> batchPredict(List<I> inputs) throws TranslateException {
        closing.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("encoder is closed");
            }
            Predictor<I, O> predictor = idle.take();
            try {
                return predictor.batchPredict(inputs);
            } finally {
                idle.add(predictor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EncoderException("interrupted while waiting for a free encoder instance", e);
        } finally {
            closing.readLock().unlock();
        }
    }

    /** Runs {@code inputs} once on every predictor: at start-up, to fail fast and warm up. */
    List<O> onEach(List<I> inputs) throws TranslateException {
        List<O> last = List.of();
        for (Predictor<I, O> predictor : all) {
            last = predictor.batchPredict(inputs);
        }
        return last;
    }

    @Override
    public void close() {
        closing.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                all.forEach(Predictor::close);
                model.close();
            }
        } finally {
            closing.writeLock().unlock();
        }
    }
}
