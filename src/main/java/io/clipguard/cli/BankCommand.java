package io.clipguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipguard.avro.ModerationResult;
import io.clipguard.banks.Bank;
import io.clipguard.banks.BankAction;
import io.clipguard.banks.BankEntry;
import io.clipguard.banks.BankHistory;
import io.clipguard.banks.BankMatch;
import io.clipguard.banks.BankRecords;
import io.clipguard.banks.BankTopicWatcher;
import io.clipguard.banks.HashLists;
import io.clipguard.banks.KnownContent;
import io.clipguard.config.AppConfig;
import io.clipguard.config.ConfigLoader;
import io.clipguard.config.KafkaConnection;
import io.clipguard.image.DecodeLimits;
import io.clipguard.image.ImageRejectedException;
import io.clipguard.image.Rgb8;
import io.clipguard.image.RoutingImageDecoder;
import io.clipguard.pdq.PdqHash;
import io.clipguard.pdq.PdqHasher;
import io.clipguard.pipeline.KnownContentDecision;
import io.clipguard.serde.AvroSerdes;
import io.clipguard.tuning.TopicSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bank}: known content, kept on the bank topic ({@code clipguard.banks.topic}) that every
 * running instance follows.
 *
 * <pre>
 * clipguard bank import  --config FILE --bank NAME --action block|review|allow [--queue Q] [--source S] [--bank-version V] LIST...
 * clipguard bank publish (the same options): the bank becomes exactly these lists (entries not in them are removed)
 * clipguard bank list    --config FILE
 * clipguard bank match   --config FILE IMAGE...
 * clipguard bank retro   --config FILE --since TIME [--dry-run]
 * </pre>
 */
@Command(
        name = "bank",
        mixinStandardHelpOptions = true,
        description = "Known content: hash banks on the bank topic (clipguard.banks.topic), matched by every running"
                + " instance.",
        subcommands = {
            BankCommand.Import.class,
            BankCommand.Publish.class,
            BankCommand.ListBanks.class,
            BankCommand.Match.class,
            BankCommand.Retro.class
        })
final class BankCommand {

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    /** The options of {@code import} and {@code publish}. */
    static class Upload implements Callable<Integer> {

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the job's properties")
        Path configFile;

        @Option(names = "--bank", required = true, paramLabel = "NAME", description = "the bank's name")
        String name;

        @Option(
                names = "--action",
                required = true,
                paramLabel = "ACTION",
                description = "block, review or allow (a negative bank: known false matches)")
        String action;

        @Option(names = "--queue", paramLabel = "Q", description = "the review queue (default: the action)")
        String queue;

        @Option(names = "--source", paramLabel = "S", description = "where the list comes from")
        String source;

        @Option(
                names = "--bank-version",
                paramLabel = "V",
                description = "the bank's version, recorded on every match (default: 1)")
        String version;

        @Parameters(
                arity = "1..*",
                paramLabel = "LIST",
                description = "hash lists: one 64-hex hash per line, or CSV with a hash column")
        List<Path> lists;

        boolean replace() {
            return false;
        }

        @Override
        public Integer call() throws Exception {
            return run(System.out);
        }

        int run(PrintStream out) throws Exception {
            AppConfig config = ConfigLoader.load(configFile);
            String topic = topic(config);
            createIfMissing(config, topic, out);
            Bank bank = new Bank(name, BankAction.parse(action), queue, source, version);
            Map<String, BankEntry> entries = new LinkedHashMap<>();
            int duplicates = 0;
            for (Path list : lists) {
                HashLists.Parsed parsed = HashLists.read(list);
                duplicates += parsed.duplicates();
                for (BankEntry entry : parsed.entries()) {
                    if (entries.putIfAbsent(entry.id(), entry) != null) {
                        duplicates++;
                    }
                }
            }
            Set<String> before = read(config, topic).entryIds(bank.name());
            List<String> removed = replace()
                    ? before.stream().filter(id -> !entries.containsKey(id)).toList()
                    : List.of();
            Properties settings = KafkaConnection.settings(config.streams());
            settings.setProperty("acks", "all");
            settings.setProperty("enable.idempotence", "true");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
                SendCheck sends = new SendCheck();
                producer.send(new ProducerRecord<>(topic, BankRecords.key(bank), BankRecords.value(bank)), sends);
                for (BankEntry entry : entries.values()) {
                    producer.send(
                            new ProducerRecord<>(
                                    topic, BankRecords.key(bank.name(), entry.id()), BankRecords.value(entry)),
                            sends);
                }
                for (String id : removed) {
                    producer.send(new ProducerRecord<>(topic, BankRecords.key(bank.name(), id), null), sends);
                }
                producer.flush();
                sends.check();
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "could not publish to " + topic + ": " + e.getCause().getMessage(), e);
            }
            long added =
                    entries.keySet().stream().filter(id -> !before.contains(id)).count();
            out.printf(
                    "bank %s v%s (%s) on %s: %d entries sent (%d new), %d removed, %d repeated in the lists%n",
                    bank.name(),
                    bank.version(),
                    bank.action().wireName(),
                    topic,
                    entries.size(),
                    added,
                    removed.size(),
                    duplicates);
            return 0;
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = "Adds the hashes of the lists to a bank (creating it), keeping its other entries.")
    static final class Import extends Upload {}

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = "Makes a bank exactly the hashes of the lists: entries not in them are removed.")
    static final class Publish extends Upload {
        @Override
        boolean replace() {
            return true;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The banks on the bank topic.")
    static final class ListBanks implements Callable<Integer> {

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the job's properties")
        Path configFile;

        @Override
        public Integer call() throws Exception {
            AppConfig config = ConfigLoader.load(configFile);
            KnownContent banks = read(config, topic(config));
            System.out.printf(
                    "%-24s %-7s %-16s %-10s %10s  %s%n", "BANK", "ACTION", "QUEUE", "VERSION", "ENTRIES", "SOURCE");
            banks.sizes()
                    .forEach((bank, size) -> System.out.printf(
                            "%-24s %-7s %-16s %-10s %10d  %s%n",
                            bank.name(), bank.action().wireName(), bank.queue(), bank.version(), size, bank.source()));
            return 0;
        }
    }

    @Command(
            name = "match",
            mixinStandardHelpOptions = true,
            description = "Prints each image's PDQ hash and quality and every bank entry it matches, one JSON line per"
                    + " image, as the job would match it.")
    static final class Match implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper();

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the job's properties")
        Path configFile;

        @Parameters(arity = "1..*", paramLabel = "IMAGE")
        List<Path> images;

        @Override
        public Integer call() throws Exception {
            AppConfig config = ConfigLoader.load(configFile);
            KnownContent banks = read(config, topic(config));
            RoutingImageDecoder decoder = RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, 224);
            int failed = 0;
            for (Path image : images) {
                ObjectNode line = JSON.createObjectNode().put("image", image.toString());
                try {
                    Rgb8 pixels = Rgb8.of(decoder.decode(Files.readAllBytes(image)));
                    PdqHasher.Dihedral hashes = PdqHasher.dihedral(pixels.widthPx(), pixels.heightPx(), pixels.rgb());
                    line.put("pdq_hash", hashes.original().hex()).put("pdq_quality", hashes.quality());
                    if (hashes.quality() < config.banks().minQuality()) {
                        line.put(
                                "note",
                                "quality under clipguard.banks.min-quality ("
                                        + config.banks().minQuality() + "): the job does not match this image");
                    }
                    List<BankMatch> matches = banks.match(
                            config.banks().dihedral() ? hashes.all() : List.of(hashes.original()), hashes.quality());
                    ArrayNode array = line.putArray("matches");
                    for (BankMatch match : matches) {
                        ObjectNode m = array.addObject()
                                .put("bank", match.bank())
                                .put("action", match.action().wireName())
                                .put("entry_id", match.entryId())
                                .put("distance", match.distance())
                                .put("bank_version", match.bankVersion());
                        match.metadata().forEach(m.putObject("metadata")::put);
                    }
                } catch (IOException | ImageRejectedException e) {
                    line.put("error", e.getMessage());
                    failed++;
                }
                System.out.println(JSON.writeValueAsString(line));
            }
            return failed == 0 ? 0 : 1;
        }
    }

    /** A new bank topic is created compacted: compaction is what keeps every bank's current entries. */
    private static void createIfMissing(AppConfig config, String topic, PrintStream out) throws Exception {
        try (Admin admin = Admin.create(
                KafkaConnection.adminSettings(config.streams(), "clipguard-bank", Duration.ofSeconds(30)))) {
            if (admin.listTopics().names().get().contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                            .configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
            out.println("created the bank topic " + topic + " (compacted)");
        }
    }

    @Command(
            name = "retro",
            mixinStandardHelpOptions = true,
            description = {
                "Searches the past: scans the scored topic for uploads whose recorded PDQ hash matches an entry of a"
                        + " block or review bank added since --since (and that the entry did not already decide),"
                        + " and writes each to the flagged topic, keyed by the bank's review queue, with the match"
                        + " recorded and the attribute clipguard.retro=true.",
                "Each run writes what it finds: run it once per import, with --since the import's time."
            })
    static final class Retro implements Callable<Integer> {

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the job's properties")
        Path configFile;

        @Option(
                names = "--since",
                required = true,
                paramLabel = "TIME",
                description = "entries added at or after this time (ISO-8601, for example 2026-12-04T18:00:00Z)")
        String since;

        @Option(names = "--dry-run", description = "report the matches without writing them")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            return run(System.out);
        }

        int run(PrintStream out) throws Exception {
            AppConfig config = ConfigLoader.load(configFile);
            Instant from;
            try {
                from = Instant.parse(since);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--since must be an ISO-8601 instant such as 2026-12-04T18:00:00Z, got '" + since + "'");
            }
            KnownContent added = BankHistory.addedSince(
                    topic(config),
                    config.streams(),
                    from,
                    config.banks().radius(),
                    config.banks().minQuality());
            Serde<ModerationResult> results =
                    AvroSerdes.forClass(ModerationResult.class, config.serdeConfig(), config.serdeClass());
            List<ModerationResult> found = new ArrayList<>();
            long[] scanned = {0};
            TopicSnapshot.forEach(config.topics().scored(), config.streams(), results.deserializer(), result -> {
                scanned[0]++;
                if (result.getPdqHash() == null || result.getPdqQuality() == null) {
                    return;
                }
                List<BankMatch> matches =
                        added.match(List.of(PdqHash.parse(result.getPdqHash())), result.getPdqQuality()).stream()
                                .filter(match -> match.action() != BankAction.ALLOW)
                                .filter(match -> result.getBankMatches().stream()
                                        .noneMatch(seen -> seen.getBank().equals(match.bank())
                                                && seen.getEntryId().equals(match.entryId())))
                                .toList();
                boolean allowedBefore = result.getBankMatches().stream()
                        .anyMatch(m -> m.getAction().equals("allow"));
                boolean blocks = matches.stream().anyMatch(m -> m.action() == BankAction.BLOCK);
                // an allow bank's earlier match still holds against review banks (never against block)
                if (!matches.isEmpty() && (blocks || !allowedBefore)) {
                    found.add(retro(result, matches));
                }
            });
            if (!dryRun && !found.isEmpty()) {
                Properties settings = KafkaConnection.settings(config.streams());
                settings.setProperty("acks", "all");
                settings.setProperty("enable.idempotence", "true");
                try (KafkaProducer<String, ModerationResult> producer =
                        new KafkaProducer<>(settings, new StringSerializer(), results.serializer())) {
                    SendCheck sends = new SendCheck();
                    for (ModerationResult result : found) {
                        producer.send(
                                new ProducerRecord<>(config.topics().flagged(), result.getReviewQueue(), result),
                                sends);
                    }
                    producer.flush();
                    sends.check();
                }
            }
            for (ModerationResult result : found) {
                out.printf(
                        "%s: %s %s (entry %s at distance %d)%n",
                        result.getUploadId(),
                        result.getAction(),
                        result.getBankMatches().get(0).getBank(),
                        result.getBankMatches().get(0).getEntryId(),
                        result.getBankMatches().get(0).getDistance());
            }
            out.printf(
                    "%d scored uploads scanned, %d match entries added since %s%s%n",
                    scanned[0],
                    found.size(),
                    from,
                    dryRun
                            ? " (dry run: nothing written)"
                            : found.isEmpty()
                                    ? ""
                                    : "; written to " + config.topics().flagged());
            return 0;
        }

        /** The upload's result again, decided by the bank matches, for the bank's review queue. */
        private static ModerationResult retro(ModerationResult past, List<BankMatch> matches) {
            ModerationResult.Builder result = ModerationResult.newBuilder(past).setDecidedAt(Instant.now());
            Map<String, String> attributes = new LinkedHashMap<>(past.getAttributes());
            attributes.put("clipguard.retro", "true");
            attributes.put("clipguard.first_decided_at", past.getDecidedAt().toString());
            result.setAttributes(attributes);
            KnownContentDecision.apply(result, matches);
            List<io.clipguard.avro.KnownContentMatch> all = new ArrayList<>(result.getBankMatches());
            all.addAll(past.getBankMatches()); // the earlier matches stay on the record, after the new
            return result.setBankMatches(all).build();
        }
    }

    /** Remembers the first send that failed: {@code flush} waits for every send but throws for none. */
    private static final class SendCheck implements org.apache.kafka.clients.producer.Callback {
        private final java.util.concurrent.atomic.AtomicReference<Exception> failed =
                new java.util.concurrent.atomic.AtomicReference<>();

        @Override
        public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception e) {
            if (e != null) {
                failed.compareAndSet(null, e);
            }
        }

        /** After a flush: fails, naming the error, when any send failed. */
        void check() throws ExecutionException {
            Exception e = failed.get();
            if (e != null) {
                throw new ExecutionException("a record was not written (others may have been): " + e.getMessage(), e);
            }
        }
    }

    private static String topic(AppConfig config) {
        return config.banks()
                .topic()
                .orElseThrow(() -> new IllegalArgumentException("clipguard.banks.topic is not set in the config"));
    }

    /** The banks as the topic holds them now. */
    static KnownContent read(AppConfig config, String topic) throws InterruptedException {
        KnownContent banks =
                new KnownContent(config.banks().radius(), config.banks().minQuality());
        try (BankTopicWatcher watcher = BankTopicWatcher.start(topic, config.streams(), banks)) {
            if (!watcher.awaitCaughtUp(READ_TIMEOUT)) {
                throw new IllegalStateException(
                        "could not read the bank topic " + topic + " within " + READ_TIMEOUT.toMinutes() + " minutes");
            }
        }
        banks.rebuildAndPublish();
        return banks;
    }
}
