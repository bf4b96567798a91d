package io.clipguard.topics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClusterTopicsTest {

    @Test
    void configValuesCompareAsKafkaMeansThem() {
        assertTrue(ClusterTopics.sameValue("compact, delete", "compact,delete"), "brokers drop the spaces in lists");
        assertTrue(ClusterTopics.sameValue("604800000", "604800000"));
        assertTrue(ClusterTopics.sameValue("2.0", "2"), "numbers by value");
        assertFalse(ClusterTopics.sameValue("delete", "compact"));
        assertFalse(ClusterTopics.sameValue("22020096", "1048588"));
        assertFalse(ClusterTopics.sameValue("2", null), "a config the broker does not have");
    }
}
