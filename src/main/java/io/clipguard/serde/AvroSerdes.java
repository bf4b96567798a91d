package io.clipguard.serde;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;

/**
 * Builds configured Avro serdes from a serde class name, so the application can swap in another
 * Confluent-compatible implementation, for example {@code
 * io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}, without code changes.
 *
 * <p>The named class must implement {@link Serde} and have either a public constructor taking the
 * record {@link Class} (like {@link SpecificAvroSerde}) or a public no-argument one (like
 * Confluent's, which finds the generated class by the writer schema's name). Stateless and
 * thread-safe.
 */
public final class AvroSerdes {
    /** The serde used when no class name is given. */
    public static final String DEFAULT_SERDE_CLASS = SpecificAvroSerde.class.getName();

    private AvroSerdes() {}

    /** A configured value serde; see {@link #forClass(Class, Map, String, boolean)}. */
    public static <T extends SpecificRecord> Serde<T> forClass(
            Class<T> type, Map<String, ?> configs, String serdeClassName) {
        return forClass(type, configs, serdeClassName, false);
    }

    /**
     * Instantiates {@code serdeClassName} for {@code type} and configures it with {@code configs}.
     *
     * @param serdeClassName a {@link Serde} class name; null or blank for {@link #DEFAULT_SERDE_CLASS}
     * @param isKey whether the serde is for record keys (subject {@code <topic>-key})
     * @throws ConfigException when the class is missing, is not a serde, or cannot be created; or
     *     when {@code configs} is invalid for it
     */
    public static <T extends SpecificRecord> Serde<T> forClass(
            Class<T> type, Map<String, ?> configs, String serdeClassName, boolean isKey) {
        String className =
                serdeClassName == null || serdeClassName.isBlank() ? DEFAULT_SERDE_CLASS : serdeClassName.trim();
        Serde<T> serde = instantiate(type, className);
        serde.configure(configs, isKey);
        return serde;
    }

    @SuppressWarnings("unchecked")
    private static <T> Serde<T> instantiate(Class<T> type, String className) {
        Class<?> serdeClass = load(className);
        if (!Serde.class.isAssignableFrom(serdeClass)) {
            throw new ConfigException("serde class", className, "does not implement " + Serde.class.getName());
        }
        try {
            Constructor<?> typed = constructor(serdeClass, Class.class);
            Object serde = typed != null
                    ? typed.newInstance(type)
                    : serdeClass.getConstructor().newInstance();
            return (Serde<T>) serde;
        } catch (NoSuchMethodException e) {
            throw new ConfigException(
                    "serde class",
                    className,
                    "needs a public constructor taking a Class, or a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new ConfigException("serde class", className, "constructor failed: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new ConfigException("serde class", className, "cannot be instantiated: " + e);
        }
    }

    private static Class<?> load(String className) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(className, true, context != null ? context : AvroSerdes.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(
                    "serde class",
                    className,
                    "not on the classpath (Confluent's serde is in io.confluent:kafka-streams-avro-serde)");
        }
    }

    private static Constructor<?> constructor(Class<?> serdeClass, Class<?> parameter) {
        try {
            return serdeClass.getConstructor(parameter);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
