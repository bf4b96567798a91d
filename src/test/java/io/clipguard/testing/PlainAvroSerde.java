package io.clipguard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Avro binary without a registry: a stand-in serde for topology unit tests only. */
public final class PlainAvroSerde {

    private PlainAvroSerde() {}

    public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(type);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                writer.write(value, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new SerializationException(e);
            }
        };
        Deserializer<T> deserializer = (topic, bytes) -> {
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not an Avro " + type.getSimpleName() + ": " + e, e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** The same serde as a class with a constructor taking the record class, for configs that name a serde class. */
    public static final class Named<T extends SpecificRecord> implements Serde<T> {
        private final Serde<T> serde;

        public Named(Class<T> type) {
            this.serde = of(type);
        }

        @Override
        public Serializer<T> serializer() {
            return serde.serializer();
        }

        @Override
        public Deserializer<T> deserializer() {
            return serde.deserializer();
        }
    }
}
