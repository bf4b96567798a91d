package io.clipguard.serde;

/** Names the part of a record a serde failed on, for error messages. */
final class Where {
    private Where() {}

    static String describe(String topic, boolean isKey) {
        return "topic " + topic + " (" + (isKey ? "key" : "value") + ")";
    }
}
