package io.clipguard.topology;

import io.clipguard.pipeline.Reason;
import io.clipguard.serde.AvroSerdeException;

/** Maps a failure to read an upload event to its dead-letter reason. */
final class EventReadFailure {

    private EventReadFailure() {
    }

    static Reason reasonFor(RuntimeException e) {
        return e instanceof AvroSerdeException avro && avro.problem() == AvroSerdeException.Problem.UNKNOWN_SCHEMA_ID
                ? Reason.UNKNOWN_SCHEMA : Reason.MALFORMED_EVENT;
    }
}
