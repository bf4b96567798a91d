package io.clipguard.topology;

import io.clipguard.pipeline.Moderator;
import java.util.function.Predicate;
import org.apache.kafka.streams.Topology;

class PerRecordTopologyTest extends ModerationTopologyContract {

    @Override
    Topology build(ModerationTopics topics, Moderator moderator, Predicate<RuntimeException> isTransient) {
        return ModerationTopology.perRecord(topics, moderator, isTransient, metrics);
    }

    @Override
    boolean retriesInPlace() {
        return false;
    }

    @Override
    void settle() {
        // each upload is decided before pipeInput returns
    }
}
