package io.clipguard.management;

/** What the management server asks: is the process alive, and is it ready for work. Thread-safe. */
public interface HealthCheck {

    /** A check's answer: up, or down with the reason. */
    record Status(boolean up, String reason) {

        public static Status up(String reason) {
            return new Status(true, reason);
        }

        public static Status down(String reason) {
            return new Status(false, reason);
        }
    }

    /** Down when the process can no longer make progress and should be restarted. */
    Status live();

    /** Up when the process does its work now: loaded, and its stream client running. */
    Status ready();
}
