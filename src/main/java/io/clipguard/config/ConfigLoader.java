package io.clipguard.config;

import io.clipguard.encode.BatchingConfig;
import io.clipguard.model.BundleException;
import io.clipguard.model.Engine;
import io.clipguard.topology.TopicNames;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the application's properties file once into a validated {@link AppConfig}.
 *
 * <p>Keys starting with {@code clipguard.} are ours; every other key is a Kafka Streams or client
 * setting and passes through untouched (it is also given to the serde, which reads
 * {@code schema.registry.url} and friends). Our keys, with defaults:
 *
 * <pre>
 * clipguard.topic.uploads=uploads
 * clipguard.topic.scored=moderation.scored
 * clipguard.topic.flagged=moderation.flagged
 * clipguard.topic.dlq=moderation.dlq
 * clipguard.model.dir=models/tiny-clip
 * clipguard.model.engine=pytorch            # pytorch | onnxruntime | tensorrt
 * clipguard.model.instances=1
 * clipguard.model.threads=2
 * clipguard.tensorrt.cache-dir=/var/cache/clipguard/tensorrt   # engine=tensorrt; see TensorRtConfig
 * clipguard.pipeline.mode=batched          # batched | per-record
 * clipguard.batch.max-size=16
 * clipguard.batch.max-delay-ms=10
 * clipguard.batch.queue-capacity=64
 * clipguard.preprocess.threads=2
 * clipguard.pipeline.max-in-flight-bytes=268435456   # byte budget of uploads in flight (batched)
 * clipguard.pipeline.max-block-ms=2000     # longest a stream thread waits for room in it
 * clipguard.policy.file=deploy/policies/tiny-shapes.yaml
 * clipguard.policy.shadow-file=                  # see PolicyConfig
 * clipguard.policy.require-precomputed=false
 * clipguard.topic.policy=                        # hot reload off unless set
 * clipguard.topic.shadow=moderation.shadow
 * clipguard.topics.file=                  # the topics' specs (YAML), checked at start; see TopicSpecs
 * clipguard.input.max-image-bytes=20971520
 * clipguard.input.max-pixels=50000000       # see InputConfig
 * clipguard.input.reduce-jpeg=true
 * clipguard.input.reduce-jpeg-margin=2
 * clipguard.serde.class=io.clipguard.serde.SpecificAvroSerde
 * clipguard.management.host=127.0.0.1       # see ManagementConfig
 * clipguard.management.port=8080
 * clipguard.shutdown.drain-ms=10000
 * clipguard.shutdown.leave-group=true
 * clipguard.log.format=text                # text | json; see LogConfig
 * clipguard.log.level.LOGGER=LEVEL          # for example clipguard.log.level.org.apache.kafka=info
 * </pre>
 *
 * A value may name an environment variable as {@code ${env:NAME}}, for example {@code
 * group.instance.id=${env:POD_NAME}} for static membership; an unset variable is an error.
 *
 * Kafka Streams defaults we set unless given: {@code processing.guarantee=exactly_once_v2} and
 * {@code poll.ms=10} (outcomes of batched uploads are forwarded between polls). The batched mode
 * needs {@code exactly_once_v2}; {@code at_least_once} is for the per-record mode.
 * {@code application.id}, {@code bootstrap.servers} and {@code schema.registry.url} are required.
 */
public final class ConfigLoader {

    static final String PREFIX = "clipguard.";

    private ConfigLoader() {}

    /** Loads a properties file; throws {@link ConfigException} naming the file or key on any problem. */
    public static AppConfig load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return from(properties);
    }

    /** Validates settings given as properties; {@code ${env:NAME}} reads this process's environment. */
    public static AppConfig from(Properties properties) {
        return from(properties, System::getenv);
    }

    /** As {@link #from(Properties)}, with {@code ${env:NAME}} read from {@code environment}. */
    public static AppConfig from(Properties properties, UnaryOperator<String> environment) {
        Map<String, String> ours = new HashMap<>();
        Properties passThrough = new Properties();
        for (String key : properties.stringPropertyNames()) {
            String value = withEnvironment(key, properties.getProperty(key).trim(), environment);
            if (key.startsWith(PREFIX)) {
                ours.put(key.substring(PREFIX.length()), value);
            } else {
                passThrough.setProperty(key, value);
            }
        }
        Settings settings = new Settings(ours);
        TopicNames topics = new TopicNames(
                settings.text("topic.uploads", TopicNames.DEFAULTS.uploads()),
                settings.text("topic.scored", TopicNames.DEFAULTS.scored()),
                settings.text("topic.flagged", TopicNames.DEFAULTS.flagged()),
                settings.text("topic.dlq", TopicNames.DEFAULTS.dlq()),
                settings.text("topic.shadow", TopicNames.DEFAULTS.shadow()));
        BatchConfig batch = new BatchConfig(
                perRecord(settings.text("pipeline.mode", "batched")),
                new BatchingConfig(
                        settings.positiveInt("batch.max-size", 16),
                        Duration.ofMillis(settings.positiveLong("batch.max-delay-ms", 10)),
                        settings.positiveInt("batch.queue-capacity", 64)),
                settings.positiveInt("preprocess.threads", 2),
                settings.positiveLong("pipeline.max-in-flight-bytes", BatchConfig.DEFAULT_MAX_IN_FLIGHT_BYTES),
                Duration.ofMillis(
                        settings.positiveLong("pipeline.max-block-ms", BatchConfig.DEFAULT_MAX_BLOCK.toMillis())));
        ModelConfig model = new ModelConfig(
                Path.of(settings.text("model.dir", "models/tiny-clip")),
                engine(settings.text("model.engine", "pytorch")),
                settings.positiveInt("model.instances", 1),
                settings.positiveInt("model.threads", 2),
                TensorRtConfig.read(settings, batch.batching().maxBatchSize()));
        PolicyConfig policy = PolicyConfig.read(settings);
        InputConfig input = InputConfig.read(settings);
        ManagementConfig management = ManagementConfig.read(settings);
        String serdeClass = settings.text("serde.class", "io.clipguard.serde.SpecificAvroSerde");
        Optional<Path> topicsFile =
                Optional.ofNullable(settings.text("topics.file", null)).map(Path::of);
        LogConfig log = LogConfig.read(settings);
        BankConfig banks = BankConfig.read(settings);
        ReviewConfig review = ReviewConfig.read(settings);
        settings.refuseUnknown();

        require(passThrough, "application.id");
        require(passThrough, "bootstrap.servers");
        require(passThrough, "schema.registry.url");
        passThrough.putIfAbsent("processing.guarantee", "exactly_once_v2");
        checkDelivery(batch, passThrough);
        passThrough.putIfAbsent("poll.ms", "10");
        // Streams buffers up to 512 MB of fetched records per thread by default; with photographs
        // inline that, not the pipeline, is what a burst would fill
        passThrough.putIfAbsent("input.buffer.max.bytes", String.valueOf(64L * 1024 * 1024));
        passThrough.putIfAbsent("processing.exception.handler.global.enabled", "true");
        // a negative record timestamp would fail the stream thread on that record for ever
        passThrough.putIfAbsent("default.timestamp.extractor", "io.clipguard.topology.RecordOrWallClockTimestamp");
        // an exception nobody foresaw becomes its record's dead letter rather than a thread failing on it for ever
        passThrough.putIfAbsent("processing.exception.handler", "io.clipguard.topology.LastResortDeadLetters");
        passThrough.putIfAbsent("production.exception.handler", "io.clipguard.topology.LastResortDeadLetters");
        passThrough.setProperty("errors.dead.letter.queue.topic.name", topics.dlq());
        passThrough.setProperty("errors.dead.letter.queue.value.serde", serdeClass);
        passThrough.setProperty("errors.dead.letter.queue.per.record", String.valueOf(batch.perRecord()));
        // the stream thread reads upload events and writes results through the registry client: keep its
        // waits inside the same bound as the wait for room in the pipeline (an unknown id is fetched once)
        passThrough.putIfAbsent("schema.registry.connect.timeout.ms", "1000");
        passThrough.putIfAbsent("schema.registry.request.timeout.ms", "2000");
        // outcomes are cut to fit the smaller of this and the output topics' limits
        int maxEventBytes = AppConfig.maxEventBytes(input.limits().maxImageBytes());
        passThrough.putIfAbsent("producer.max.request.size", String.valueOf(maxEventBytes));
        Map<String, Object> serdeConfig = new HashMap<>();
        passThrough.stringPropertyNames().forEach(key -> serdeConfig.put(key, passThrough.getProperty(key)));
        return new AppConfig(
                topics,
                model,
                batch,
                serdeClass,
                serdeConfig,
                passThrough,
                policy,
                input,
                management,
                topicsFile,
                log,
                banks,
                review);
    }

    /**
     * The batched mode keeps uploads in flight in a store whose changelog must commit with the
     * outcomes and offsets: only exactly_once_v2 does that atomically. And a stream thread must never
     * wait for room longer than a fraction of the transaction timeout, or its producer is fenced.
     */
    private static void checkDelivery(BatchConfig batch, Properties streams) {
        String guarantee = streams.getProperty("processing.guarantee");
        if (batch.perRecord()) {
            return;
        }
        if (!guarantee.equals("exactly_once_v2")) {
            throw new ConfigException("processing.guarantee=" + guarantee + " is not valid with "
                    + PREFIX + "pipeline.mode=batched: it needs exactly_once_v2 (the outcome, the in-flight store"
                    + " and the offsets must commit together); use " + PREFIX + "pipeline.mode=per-record for "
                    + guarantee);
        }
        long transactionTimeoutMs = Long.parseLong(streams.getProperty(
                "producer.transaction.timeout.ms", streams.getProperty("transaction.timeout.ms", "10000")));
        if (batch.maxBlock().toMillis() * 4 > transactionTimeoutMs) {
            throw new ConfigException(PREFIX + "pipeline.max-block-ms="
                    + batch.maxBlock().toMillis()
                    + " is not valid: keep it at most a quarter of the transaction timeout (" + transactionTimeoutMs
                    + " ms), or the producer is fenced while a stream thread waits");
        }
    }

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    /** Replaces each {@code ${env:NAME}} in a value with that environment variable. */
    static String withEnvironment(String key, String value, UnaryOperator<String> environment) {
        Matcher matcher = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String resolved = environment.apply(matcher.group(1));
            if (resolved == null || resolved.isBlank()) {
                throw new ConfigException(
                        key + "=" + value + ": environment variable " + matcher.group(1) + " is not set");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static boolean perRecord(String mode) {
        return switch (mode) {
            case "batched" -> false;
            case "per-record" -> true;
            default ->
                throw new ConfigException(
                        PREFIX + "pipeline.mode=" + mode + " is not valid: use batched or per-record");
        };
    }

    private static Engine engine(String name) {
        try {
            return Engine.parse(name);
        } catch (BundleException e) {
            throw new ConfigException(PREFIX + "model.engine: " + e.getMessage());
        }
    }

    private static void require(Properties properties, String key) {
        if (properties.getProperty(key, "").isBlank()) {
            throw new ConfigException(key + " is required");
        }
    }
}
