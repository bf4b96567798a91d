package io.clipguard.pipeline;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Cuts what an outcome copies from its upload event (the upload id, the attributes, a dead letter's
 * message) so that its record, keyed by the upload id, fits the smallest output topic's {@code
 * max.message.bytes}, and says so in the record: a cut string ends with a marker naming its original
 * size, and a result whose attributes were cut carries the attribute {@value #CUT_ATTRIBUTE}.
 *
 * <p>Every field of an event is hostile: a megabyte id or a map of thousands of entries is a valid
 * event, and an output record over its topic's limit fails the transaction that carries it, again
 * and again. An outcome that fits is returned as it is. Thread-safe.
 */
public final class OutcomeFitter {

    /** Kafka's default {@code max.message.bytes} for a topic (and the broker's {@code message.max.bytes}). */
    public static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    /** The attribute that says which attributes were cut or dropped. */
    public static final String CUT_ATTRIBUTE = "clipguard.cut";
    /** A dead letter's message is for a human: never longer than this, whatever room there is. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024;
    /** An id cut to fit keeps this much of its start, enough to search for it. */
    static final int CUT_ID_BYTES = 512;
    /** An attribute value cut to fit keeps this much. */
    static final int CUT_VALUE_BYTES = 256;
    /**
     * What a record needs beyond its key and Avro value: the wire format's 5-byte header, the record
     * batch and record framing (about 80 bytes), headers Kafka Streams may add, and a margin.
     */
    static final int RECORD_OVERHEAD_BYTES = 1024;

    private final int maxRecordBytes;

    /** @param maxRecordBytes the smallest {@code max.message.bytes} of the topics outcomes go to */
    public OutcomeFitter(int maxRecordBytes) {
        if (maxRecordBytes < 4 * RECORD_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("an output topic limit of " + maxRecordBytes + " bytes is too small");
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** The outcome as it is if it fits; else a copy with what it copied from the event cut to fit. */
    public Outcome fit(Outcome outcome) {
        if (outcome instanceof Outcome.Scored scored) {
            return fitScored(scored);
        }
        if (outcome instanceof Outcome.Failed failed) {
            ModerationError fitted = fitError(failed.error());
            return fitted == failed.error() ? failed : new Outcome.Failed(fitted);
        }
        return outcome;
    }

    private Outcome fitScored(Outcome.Scored scored) {
        ModerationResult result = scored.result();
        ModerationResult shadow = scored.shadow();
        if (fits(result) && (shadow == null || fits(shadow))) {
            return scored;
        }
        List<String> cuts = new ArrayList<>();
        String id = result.getUploadId();
        String fittedId = cutId(id, cuts);
        Map<String, String> attributes = fitAttributes(result, fittedId, cuts);
        return new Outcome.Scored(
                withCopied(result, fittedId, attributes),
                shadow == null ? null : withCopied(shadow, fittedId, attributes));
    }

    private static ModerationResult withCopied(ModerationResult result, String id, Map<String, String> attributes) {
        return ModerationResult.newBuilder(result)
                .setUploadId(id)
                .setAttributes(attributes)
                .build();
    }

    /** Cuts long values, then drops the largest entries, until the result fits; notes what it did. */
    private Map<String, String> fitAttributes(ModerationResult result, String id, List<String> cuts) {
        Map<String, String> original = result.getAttributes();
        List<Map.Entry<String, String>> bySize = new ArrayList<>(original.entrySet());
        bySize.sort(Comparator.comparingLong(
                        (Map.Entry<String, String> e) -> utf8Length(e.getKey()) + utf8Length(e.getValue()))
                .reversed());
        Map<String, String> kept = new LinkedHashMap<>();
        int cutValues = 0;
        for (Map.Entry<String, String> entry : bySize) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (utf8Length(key) > CUT_VALUE_BYTES) {
                continue; // a key cannot be cut without changing what it means: dropped
            }
            if (utf8Length(value) > CUT_VALUE_BYTES) {
                value = cut(value, CUT_VALUE_BYTES);
                cutValues++;
            }
            kept.put(key, value);
        }
        // the largest first: dropping them frees the most for the fewest entries lost
        List<String> keys = new ArrayList<>(kept.keySet());
        int dropped = original.size() - kept.size();
        String marker = marker(cuts, cutValues, dropped, original.size());
        for (int next = 0; !fits(withCut(result, id, kept, marker)) && next < keys.size(); next++) {
            kept.remove(keys.get(next));
            dropped++;
            marker = marker(cuts, cutValues, dropped, original.size());
        }
        return withMarker(kept, marker);
    }

    private static ModerationResult withCut(
            ModerationResult result, String id, Map<String, String> kept, String marker) {
        return withCopied(result, id, withMarker(kept, marker));
    }

    private static Map<String, String> withMarker(Map<String, String> kept, String marker) {
        Map<String, String> out = new LinkedHashMap<>(kept);
        out.put(CUT_ATTRIBUTE, marker);
        return out;
    }

    private static String marker(List<String> cuts, int cutValues, int dropped, int total) {
        List<String> parts = new ArrayList<>(cuts);
        parts.add("attributes: " + cutValues + " values cut to " + CUT_VALUE_BYTES + " bytes, " + dropped + " of "
                + total + " dropped to fit the output topic's message limit");
        return String.join("; ", parts);
    }

    private ModerationError fitError(ModerationError error) {
        String message = error.getMessage();
        boolean longMessage = utf8Length(message) > MAX_MESSAGE_BYTES;
        if (!longMessage && fits(error)) {
            return error;
        }
        List<String> cuts = new ArrayList<>();
        String id = error.getUploadId() == null ? null : cutIdIfNeeded(error, cuts);
        String fittedMessage = longMessage ? cut(message, MAX_MESSAGE_BYTES) : message;
        if (!cuts.isEmpty()) {
            fittedMessage = fittedMessage + " [" + String.join("; ", cuts) + "]";
        }
        return ModerationError.newBuilder(error)
                .setUploadId(id)
                .setMessage(fittedMessage)
                .build();
    }

    private String cutIdIfNeeded(ModerationError error, List<String> cuts) {
        ModerationError shortMessage = ModerationError.newBuilder(error)
                .setMessage(cut(error.getMessage(), MAX_MESSAGE_BYTES))
                .build();
        return fits(shortMessage) ? error.getUploadId() : cutId(error.getUploadId(), cuts);
    }

    private static String cutId(String id, List<String> cuts) {
        if (utf8Length(id) <= CUT_ID_BYTES) {
            return id;
        }
        cuts.add("upload_id cut from " + utf8Length(id) + " bytes");
        return cut(id, CUT_ID_BYTES);
    }

    private boolean fits(ModerationResult result) {
        return recordBytes(result.getUploadId(), result) <= maxRecordBytes;
    }

    private boolean fits(ModerationError error) {
        return recordBytes(error.getUploadId(), error) <= maxRecordBytes;
    }

    /** The record's size on a topic keyed by upload id: the key, the Avro value and the framing. */
    private static long recordBytes(String key, SpecificRecord value) {
        return (key == null ? 0 : utf8Length(key)) + avroBytes(value) + RECORD_OVERHEAD_BYTES;
    }

    @SuppressWarnings("unchecked")
    static long avroBytes(SpecificRecord record) {
        CountingStream counter = new CountingStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(counter, null);
        try {
            new SpecificDatumWriter<>((Class<SpecificRecord>) record.getClass()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // counting never fails
        }
        return counter.bytes;
    }

    /** The start of {@code text} in at most {@code maxBytes} UTF-8 bytes, then a marker with its size. */
    public static String cut(String text, int maxBytes) {
        long bytes = utf8Length(text);
        if (bytes <= maxBytes) {
            return text;
        }
        StringBuilder kept = new StringBuilder();
        long used = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > maxBytes) {
                break;
            }
            kept.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return kept + "...[cut from " + bytes + " bytes]";
    }

    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static final class CountingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
