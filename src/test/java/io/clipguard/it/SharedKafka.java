package io.clipguard.it;

import io.clipguard.local.LocalKafka;

/** One real in-JVM KRaft broker per test JVM: a cold start costs seconds, so tests share it. */
final class SharedKafka {

    private static LocalKafka kafka;

    private SharedKafka() {}

    static synchronized LocalKafka get() throws Exception {
        if (kafka == null) {
            LocalKafka started = LocalKafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception e) {
                    // the JVM is going away; the data directory is temporary
                }
            }));
            kafka = started;
        }
        return kafka;
    }
}
