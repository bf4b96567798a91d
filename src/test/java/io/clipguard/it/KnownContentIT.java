package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.app.ModerationApp;
import io.clipguard.avro.ModerationResult;
import io.clipguard.config.ConfigLoader;
import io.clipguard.image.Rgb8;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.UploadProducer;
import io.clipguard.pdq.PdqHasher;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known content end to end on a real broker and registry: banks published with the command line to
 * a real bank topic, the job following it. A re-encoded, resized or mirrored copy of a banked image
 * is blocked with the match recorded; an image CLIP flags that is in an allow bank is not flagged; a
 * hash published while two instances run matches on both within 10 s; {@code bank retro} finds the
 * upload scored before its hash was banked.
 */
class KnownContentIT {

    private static final Path MODEL = Path.of("models/tiny-clip");
    private static final Path POLICY = Path.of("deploy/policies/tiny-shapes.yaml");
    private static final Path PEN = Path.of("src/test/resources/pdq/images/pen-and-coaster.png");
    private static final Path C = Path.of("src/test/resources/pdq/images/c.png");

    @TempDir
    Path dir;

    @Test
    void bankedImagesAreBlockedAllowedOnesAreNotFlaggedAndNewHashesMatchWithinTenSeconds() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = SharedKafka.get().bootstrapServers();
        String registry = LocalSchemaRegistry.shared().url().toString();
        String uploads = "uploads-" + run;
        String scored = "scored-" + run;
        String flagged = "flagged-" + run;
        String dlq = "dlq-" + run;
        String banks = "banks-" + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(uploads, 3, (short) 1),
                            new NewTopic(scored, 3, (short) 1),
                            new NewTopic(flagged, 1, (short) 1),
                            new NewTopic(dlq, 1, (short) 1)))
                    .all()
                    .get();
        }
        Path config = dir.resolve("clipguard.properties");
        Properties settings = settings(run, bootstrap, registry, uploads, scored, flagged, dlq, banks);
        try (var out = Files.newBufferedWriter(config)) {
            settings.store(out, null);
        }

        BufferedImage pen = ImageIO.read(PEN.toFile());
        RedStar star = redStarThatClipBlocks();
        Path blockList = Files.writeString(dir.resolve("block.txt"), "# a test list\n" + hash(pen) + "\n");
        Path allowList = Files.writeString(
                dir.resolve("allow.csv"), "hash,id,reason\n" + hash(star.image()) + ",fp-1,a known false positive\n");
        assertEquals(
                0, bank("publish", config, "terror", "block", "--queue", "legal", "--bank-version", "7", blockList));
        assertEquals(0, bank("import", config, "false-positives", "allow", allowList));

        int managementPort = freePort();
        int secondManagementPort = freePort();
        Properties firstInstance = (Properties) settings.clone();
        firstInstance.setProperty("clipguard.management.port", String.valueOf(managementPort));
        Properties secondInstance = (Properties) settings.clone();
        secondInstance.setProperty("clipguard.management.port", String.valueOf(secondManagementPort));
        secondInstance.setProperty("state.dir", dir.resolve("state-2").toString());
        try (ModerationApp app = ModerationApp.start(ConfigLoader.from(firstInstance));
                ModerationApp second = ModerationApp.start(ConfigLoader.from(secondInstance));
                UploadProducer producer = new UploadProducer(bootstrap, registry, uploads);
                OutcomeReader reader = new OutcomeReader(bootstrap, registry, scored, flagged, dlq)) {
            app.awaitRunning(Duration.ofSeconds(60));
            second.awaitRunning(Duration.ofSeconds(60));
            producer.send(UploadProducer.inline("pen-jpeg-smaller", jpeg(resize(pen, 0.7)), "image/jpeg"), true);
            producer.send(UploadProducer.inline("pen-mirrored", jpeg(mirror(pen)), "image/jpeg"), true);
            producer.send(UploadProducer.inline("star", png(star.image()), "image/png"), true);
            producer.send(UploadProducer.inline("c", jpeg(ImageIO.read(C.toFile())), "image/jpeg"), true);
            producer.flush();
            Map<String, ModerationResult> results =
                    byId(reader.awaitDecided(4, Duration.ofSeconds(120)).scored());

            for (String id : List.of("pen-jpeg-smaller", "pen-mirrored")) {
                ModerationResult result = results.get(id);
                assertEquals("block", result.getAction(), id);
                assertTrue(result.getFlagged());
                assertEquals("legal", result.getReviewQueue());
                assertNull(result.getDecidingLabel(), "a bank decided, not a label");
                assertEquals("terror", result.getBankMatches().get(0).getBank());
                assertEquals("7", result.getBankMatches().get(0).getBankVersion());
                assertTrue(result.getBankMatches().get(0).getDistance() <= 31);
                assertFalse(result.getLabels().isEmpty(), "the scores are still recorded");
            }
            ModerationResult allowed = results.get("star");
            assertEquals("allow", allowed.getAction());
            assertFalse(allowed.getFlagged());
            assertEquals("fp-1", allowed.getBankMatches().get(0).getEntryId());
            assertEquals(
                    Map.of("reason", "a known false positive"),
                    allowed.getBankMatches().get(0).getMetadata());
            assertTrue(
                    allowed.getLabels().stream()
                            .anyMatch(l -> l.getFired() && !l.getAction().equals("allow")),
                    "CLIP flagged it: its fired label is on the result");
            String scrape = FaultRun.body(managementPort, "/metrics");
            assertTrue(
                    scrape.contains("clipguard_bank_entries{action=\"block\",bank=\"terror\",version=\"7\"} 1.0"),
                    "the bank in force, by version, on the metrics endpoint");
            assertTrue(scrape.contains(
                    "clipguard_bank_entries{action=\"allow\",bank=\"false-positives\",version=\"1\"} 1.0"));
            double matches = matchesCounted(scrape) + matchesCounted(FaultRun.body(secondManagementPort, "/metrics"));
            assertEquals(3, matches, 0.0, "two block matches and one allow match, counted by the instances");
            ModerationResult c = results.get("c");
            assertTrue(c.getBankMatches().isEmpty(), "not banked yet");
            assertEquals(64, c.getPdqHash().length());

            // published while two instances run: within 10 s, an upload on every partition (so on both
            // instances, which share the 3 partitions) is blocked
            Path later = Files.writeString(dir.resolve("later.txt"), hash(ImageIO.read(C.toFile())) + "\n");
            Instant published = Instant.now();
            assertEquals(
                    0, bank("import", config, "terror", "block", "--queue", "legal", "--bank-version", "8", later));
            Instant everywhere = null;
            int sent = 4;
            for (int round = 0; everywhere == null && round < 40; round++) {
                List<String> ids = onePerPartition("c-again-" + round + "-", 3);
                for (String id : ids) {
                    producer.send(UploadProducer.inline(id, jpeg(ImageIO.read(C.toFile())), "image/jpeg"), true);
                }
                producer.flush();
                sent += ids.size();
                Map<String, ModerationResult> now =
                        byId(reader.awaitDecided(sent, Duration.ofSeconds(30)).scored());
                if (ids.stream().allMatch(id -> now.get(id).getAction().equals("block"))) {
                    everywhere = ids.stream()
                            .map(id -> now.get(id).getDecidedAt())
                            .max(Instant::compareTo)
                            .orElseThrow();
                    ids.forEach(id -> assertEquals(
                            "8", now.get(id).getBankMatches().get(0).getBankVersion()));
                }
                Thread.sleep(250);
            }
            assertTrue(everywhere != null, "the hash published while running never matched on every partition");
            Duration delay = Duration.between(published, everywhere);
            System.out.println(
                    "a published hash matched on every instance " + delay.toMillis() + " ms after the import began");
            assertTrue(delay.compareTo(Duration.ofSeconds(10)) <= 0, "matched after " + delay);

            // the past: "c" was scored before its hash was banked; retro finds it for the bank's queue
            List<String> args = List.of(
                    "bank",
                    "retro",
                    "--config",
                    config.toString(),
                    "--since",
                    published.minusSeconds(1).toString());
            assertEquals(0, io.clipguard.cli.Main.execute(args.toArray(String[]::new), List.of()));
            ModerationResult retro = null;
            for (int attempt = 0; retro == null && attempt < 20; attempt++) {
                for (ConsumerRecord<String, ModerationResult> record :
                        reader.drain(Duration.ofMillis(500)).flagged()) {
                    if (record.value().getUploadId().equals("c")) {
                        assertEquals("legal", record.key());
                        retro = record.value();
                    }
                }
            }
            assertTrue(retro != null, "bank retro wrote nothing for the upload scored before the import");
            assertEquals("block", retro.getAction());
            assertEquals("true", retro.getAttributes().get("clipguard.retro"));
            assertEquals("8", retro.getBankMatches().get(0).getBankVersion());
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** The sum of {@code clipguard_bank_matches_total} over its series in one scrape. */
    private static double matchesCounted(String scrape) {
        return scrape.lines()
                .filter(line -> line.startsWith("clipguard_bank_matches_total{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Upload ids that the default partitioner puts one on each of {@code partitions} partitions. */
    private static List<String> onePerPartition(String prefix, int partitions) {
        String[] ids = new String[partitions];
        for (int n = 0, found = 0; found < partitions; n++) {
            String id = prefix + n;
            int partition = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                            id.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    % partitions;
            if (ids[partition] == null) {
                ids[partition] = id;
                found++;
            }
        }
        return List.of(ids);
    }

    private int bank(String verb, Path config, String name, String action, Object... rest) {
        List<String> args = new java.util.ArrayList<>(
                List.of("bank", verb, "--config", config.toString(), "--bank", name, "--action", action));
        for (Object arg : rest) {
            args.add(arg.toString());
        }
        return io.clipguard.cli.Main.execute(args.toArray(String[]::new), List.of());
    }

    record RedStar(BufferedImage image) {}

    /** A red star from the tiny model's samples whose PDQ quality is high enough to match on. */
    private static RedStar redStarThatClipBlocks() throws IOException {
        for (String line : Files.readAllLines(MODEL.resolve("samples/samples.csv"))) {
            String[] f = line.split(",");
            if (f.length > 2 && f[1].equals("red") && f[2].equals("star") && f[0].endsWith(".png")) {
                BufferedImage image =
                        ImageIO.read(MODEL.resolve("samples").resolve(f[0]).toFile());
                Rgb8 p = Rgb8.of(image);
                if (PdqHasher.hash(p.widthPx(), p.heightPx(), p.rgb()).quality() >= 70) {
                    return new RedStar(image);
                }
            }
        }
        throw new AssertionError("no red star of quality 70 among the samples");
    }

    private static String hash(BufferedImage image) {
        Rgb8 p = Rgb8.of(image);
        return PdqHasher.hash(p.widthPx(), p.heightPx(), p.rgb()).hash().hex();
    }

    private static BufferedImage resize(BufferedImage image, double scale) {
        BufferedImage out = new BufferedImage(
                (int) (image.getWidth() * scale), (int) (image.getHeight() * scale), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    private static BufferedImage mirror(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.setRGB(image.getWidth() - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(rgb, "jpg", out);
        return out.toByteArray();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static Map<String, ModerationResult> byId(List<ConsumerRecord<String, ModerationResult>> records) {
        Map<String, ModerationResult> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.value().getUploadId(), r.value()));
        return byId;
    }

    private Properties settings(
            String run,
            String bootstrap,
            String registry,
            String uploads,
            String scored,
            String flagged,
            String dlq,
            String banks) {
        Properties settings = new Properties();
        settings.setProperty("application.id", "it-" + run);
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty("schema.registry.url", registry);
        settings.setProperty("state.dir", dir.resolve("state").toString());
        settings.setProperty("commit.interval.ms", "200");
        settings.setProperty("clipguard.topic.uploads", uploads);
        settings.setProperty("clipguard.topic.scored", scored);
        settings.setProperty("clipguard.topic.flagged", flagged);
        settings.setProperty("clipguard.topic.dlq", dlq);
        settings.setProperty("clipguard.model.dir", MODEL.toString());
        settings.setProperty("clipguard.management.port", "0");
        settings.setProperty("clipguard.policy.file", POLICY.toString());
        settings.setProperty("clipguard.banks.topic", banks);
        settings.setProperty("clipguard.banks.dihedral", "true");
        return settings;
    }
}
