package io.clipguard.local;

/** Sends at a fixed rate: waits for each message's slot on a schedule that started at a given time. */
public final class Pacing {

    private Pacing() {}

    /**
     * Sleeps until message {@code index} is due at {@code perSecond} messages per second after
     * {@code startNanos}; returns false (with the interrupt flag set) if interrupted.
     */
    public static boolean awaitSlot(long startNanos, int index, double perSecond) {
        long wait = startNanos + (long) (index * 1e9 / perSecond) - System.nanoTime();
        if (wait <= 0) {
            return true;
        }
        try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
