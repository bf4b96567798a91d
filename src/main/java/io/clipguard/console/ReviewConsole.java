package io.clipguard.console;

import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.avro.UploadedImage;
import io.clipguard.config.AppConfig;
import io.clipguard.config.ReviewConfig;
import io.clipguard.ingest.UploadImageSource;
import io.clipguard.serde.AvroSerdes;
import io.clipguard.topology.ReviewTopics;
import io.clipguard.topology.ReviewTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code clipguard review}: the claims processor (a Kafka Streams application of its own) and the web
 * console in front of it, on the job's config. Any number of instances may run behind one load
 * balancer: they share the claims processor's partitions and need the same session secret.
 */
public final class ReviewConsole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewConsole.class);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private final List<AutoCloseable> parts = new ArrayList<>();
    private ConsoleServer server;

    private ReviewConsole() {}

    /** Starts the claims processor and the web console; throws when it cannot. */
    public static ReviewConsole start(AppConfig config) throws Exception {
        ReviewConsole console = new ReviewConsole();
        try {
            console.startParts(config);
            return console;
        } catch (Exception | Error e) {
            console.close();
            throw e;
        }
    }

    private void startParts(AppConfig config) throws Exception {
        ReviewConfig review = config.review();
        Properties client = config.streams();
        ReviewTopics topics = new ReviewTopics(
                config.topics().flagged(),
                review.topics().requests(),
                review.topics().replies(),
                review.topics().reviews(),
                review.topics().queues(),
                review.topics().audit());
        ReviewTopicsSetup.ensure(client, topics);
        Serde<ModerationResult> results =
                AvroSerdes.forClass(ModerationResult.class, config.serdeConfig(), config.serdeClass());
        Serde<ReviewDecision> decisions =
                AvroSerdes.forClass(ReviewDecision.class, config.serdeConfig(), config.serdeClass());
        Serde<UploadedImage> uploads =
                AvroSerdes.forClass(UploadedImage.class, config.serdeConfig(), config.serdeClass());

        KafkaStreams claims = new KafkaStreams(
                ReviewTopology.build(
                        topics, results.deserializer(), decisions, review.lease(), review.undo(), review.keepDecided()),
                claimsSettings(config));
        claims.setUncaughtExceptionHandler(e -> {
            // a registry or broker hiccup: the task resumes from its last commit, nothing is lost
            LOG.error("claims processor thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        parts.add(() -> claims.close(Duration.ofSeconds(10)));
        claims.start();

        ClaimClient claimClient = add(new ClaimClient(client, topics.requests(), topics.replies(), ANSWER_TIMEOUT));
        QueueBoard board = add(new QueueBoard(client, topics.queues()));
        RecordReader reader = add(new RecordReader(client));
        ReviewItems items = new ReviewItems(
                reader,
                results.deserializer(),
                uploads.deserializer(),
                UploadImageSource.from(
                        config.input().fetch(), config.input().limits().maxImageBytes()));
        Publisher publisher = add(new Publisher(client, topics.audit()));
        Pages pages = new Pages();
        TuneDesk tune = add(new TuneDesk(
                new PolicyTexts(config.policy(), client),
                client,
                config.topics().scored(),
                topics.reviews(),
                results.deserializer(),
                decisions.deserializer(),
                pages,
                publisher,
                Clock.systemUTC()));
        byte[] secret = review.sessionSecret()
                .map(text -> text.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    LOG.warn("clipguard.review.session-secret is not set: sessions end when this console stops,"
                            + " and other console instances do not accept them");
                    return Sessions.randomSecret();
                });
        Sessions sessions = new Sessions(secret, review.session(), Clock.systemUTC());
        // the JDK's server waits for ever on a slow request unless told otherwise (seconds)
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "30");
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "120");
        ReviewDesk desk = new ReviewDesk(claimClient, board, items, pages, review, Clock.systemUTC());
        server = add(new ConsoleServer(review, sessions, desk, tune, pages));
        LOG.info(
                "review console on http://{}:{}/ for queues of {}; decisions go to {}",
                review.bind(),
                server.port(),
                topics.flagged(),
                topics.reviews());
    }

    /** The claims processor's Kafka Streams settings: the job's, under an id and state directory of its own. */
    static Properties claimsSettings(AppConfig config) {
        Properties settings = new Properties();
        settings.putAll(config.streams());
        String jobId = settings.getProperty("application.id");
        settings.setProperty("application.id", config.review().applicationId().orElse(jobId + "-review"));
        String stateDir = settings.getProperty("state.dir", System.getProperty("java.io.tmpdir") + "/kafka-streams");
        settings.setProperty("state.dir", Path.of(stateDir + "-review").toString());
        // the job's handlers write dead letters of uploads; a console's records are not uploads
        settings.remove("processing.exception.handler");
        settings.remove("production.exception.handler");
        settings.remove("processing.exception.handler.global.enabled");
        settings.stringPropertyNames().stream()
                .filter(key -> key.startsWith("errors.dead.letter.queue"))
                .forEach(settings::remove);
        settings.setProperty("processing.guarantee", "exactly_once_v2");
        // a reviewer waits on every commit: claims and decisions are small, commit often
        settings.setProperty("commit.interval.ms", "20");
        return settings;
    }

    private <T extends AutoCloseable> T add(T part) {
        parts.add(part);
        return part;
    }

    /** The console's port. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing the review console: {}", e.toString());
            }
        }
        parts.clear();
    }
}
