package io.clipguard.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's settings, parsed once from the Kafka-style config map passed to {@code
 * configure(configs, isKey)}. The keys are Confluent's, so the same map configures {@code
 * io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}.
 *
 * @param registryUrls {@value #SCHEMA_REGISTRY_URL}: the registry's base URLs, comma-separated; a
 *     request that finds one unreachable or failing (5xx) tries the next; empty when absent
 * @param autoRegisterSchemas {@value #AUTO_REGISTER_SCHEMAS} (default true): register the record's
 *     schema on first use; when false, look its id up instead
 * @param useLatestVersion {@value #USE_LATEST_VERSION} (default false): when auto-registration is
 *     off, write with the subject's latest schema rather than the record's own
 * @param subjectNaming {@value #KEY_SUBJECT_NAME_STRATEGY} or {@value #VALUE_SUBJECT_NAME_STRATEGY}
 *     (default TopicNameStrategy)
 * @param specificAvroReader {@value #SPECIFIC_AVRO_READER} (default false): a deserializer without
 *     a target class returns generated classes instead of generic records
 * @param connectTimeout {@value #CONNECT_TIMEOUT_MS} (default 10 s); ours, Confluent ignores it
 * @param requestTimeout {@value #REQUEST_TIMEOUT_MS} (default 30 s); ours, Confluent ignores it
 * @param access credentials and TLS for a secured registry, from Confluent's keys (see {@link
 *     RegistryAccess})
 */
public record AvroSerdeConfig(
        List<URI> registryUrls,
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        SubjectNaming subjectNaming,
        boolean specificAvroReader,
        Duration connectTimeout,
        Duration requestTimeout,
        RegistryAccess access) {

    public AvroSerdeConfig {
        registryUrls = List.copyOf(registryUrls);
    }

    /** The first registry URL, or null when none is configured. */
    public URI registryUrl() {
        return registryUrls.isEmpty() ? null : registryUrls.get(0);
    }

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    /**
     * Parses and validates {@code configs}.
     *
     * @throws ConfigException naming the key, the bad value and what would be valid
     */
    public static AvroSerdeConfig parse(Map<String, ?> configs, boolean isKey) {
        String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
        Object strategy = configs.get(strategyKey);
        List<URI> urls = urls(configs.get(SCHEMA_REGISTRY_URL));
        RegistryAccess access = RegistryAccess.parse(configs, urls.isEmpty() ? null : urls.get(0));
        return new AvroSerdeConfig(
                urls.stream().map(RegistryAccess::withoutUserInfo).toList(),
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                strategy == null ? SubjectNaming.TOPIC_NAME : SubjectNaming.fromConfig(strategyKey, strategy),
                bool(configs, SPECIFIC_AVRO_READER, false),
                millis(configs, CONNECT_TIMEOUT_MS, HttpSchemaRegistryClient.DEFAULT_CONNECT_TIMEOUT),
                millis(configs, REQUEST_TIMEOUT_MS, HttpSchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT),
                access);
    }

    /**
     * A registry client for these settings.
     *
     * @throws ConfigException when {@value #SCHEMA_REGISTRY_URL} is missing
     */
    public SchemaRegistryClient newClient() {
        if (registryUrls.isEmpty()) {
            throw new ConfigException(
                    SCHEMA_REGISTRY_URL,
                    null,
                    "required: the schema registry's base URL, for example http://localhost:8081");
        }
        return new HttpSchemaRegistryClient(registryUrls, connectTimeout, requestTimeout, access);
    }

    private static List<URI> urls(Object value) {
        if (value == null) {
            return List.of();
        }
        String all = value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        return Arrays.stream(all.split(","))
                .map(String::trim)
                .filter(url -> !url.isEmpty())
                .map(url -> url(url, value))
                .toList();
    }

    private static URI url(String text, Object given) {
        boolean credentials = String.valueOf(given).contains("@");
        Object value = credentials ? "(a URL with credentials)" : given;
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // the exception's message repeats the whole input, credentials included
            throw new ConfigException(
                    SCHEMA_REGISTRY_URL,
                    value,
                    "not a URL: " + (credentials ? e.getReason() + " at index " + e.getIndex() : e.getMessage()));
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, value, "expected an http:// or https:// URL");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, value, "no host in it (a host name may not contain '_')");
        }
        return uri;
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "expected true or false");
    }

    private static Duration millis(Map<String, ?> configs, String key, Duration defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long ms = value instanceof Number n
                    ? n.longValue()
                    : Long.parseLong(value.toString().trim());
            if (ms > 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below, with the accepted values
        }
        throw new ConfigException(key, value, "expected a positive number of milliseconds");
    }
}
