package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationError;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.UploadProducer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job started exactly as the container image and the StatefulSet start it (ENTRYPOINT, the image's
 * JAVA_TOOL_OPTIONS, the pod's JDK_JAVA_OPTIONS and args), in a stand-in for a small container, given
 * an upload whose decoding cannot fit in its heap among good ones: the OutOfMemoryError is the job's to
 * handle, so that upload is dead-lettered as IMAGE_TOO_LARGE after its retries, every good upload is
 * scored once, and the JVM is still there. With -XX:+ExitOnOutOfMemoryError in the shipped flags the
 * JVM would exit instead, and restart into the same upload.
 */
class ShippedJvmFlagsIT {

    /** A small container: the shipped MaxRAMPercentage=50 gives the job a heap of 200 MB. */
    private static final String CONTAINER_MEMORY = "400m";

    @TempDir
    Path work;

    @Test
    void anUploadTooLargeForTheHeapIsDeadLetteredAndTheJvmStays() throws Exception {
        String registry = LocalSchemaRegistry.shared().url().toString();
        try (FaultRun run =
                new FaultRun("jvmflags", SharedKafka.get().bootstrapServers(), registry, work, 2, (short) 1)) {
            Properties settings = run.settings();
            int port = FaultRun.serveManagement(settings);
            FaultRun.Job job = run.startAsContainer("job", settings, CONTAINER_MEMORY);
            run.warmUp("job");

            String log = Files.readString(job.log);
            assertTrue(log.contains("Picked up JAVA_TOOL_OPTIONS: -Dai.djl.offline=true"), "the image's options");
            assertTrue(log.contains("Picked up JDK_JAVA_OPTIONS: -XX:MaxRAMPercentage=50"), "the pod's options");
            double heapMax = heapMaxBytes(FaultRun.body(port, "/metrics"));
            assertTrue(
                    heapMax > 150e6 && heapMax < 250e6,
                    "the heap is half the container's memory, not a fixed -Xmx: " + heapMax);

            Thread good = run.sendGoodInBackground("good", 40, 10);
            // 7,000 x 7,000 RGBA: a few hundred kB as a PNG, 196 MB once decoded
            run.send(UploadProducer.inline("giant", giantPng(7000, 7000), "image/png"));
            good.join();
            run.producer().flush();

            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(180));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(180));
            List<ModerationError> deadLetters =
                    outcomes.deadLetters().stream().map(r -> r.value()).toList();
            assertEquals(1, deadLetters.size(), deadLetters.toString());
            assertEquals("giant", deadLetters.get(0).getUploadId());
            assertEquals("IMAGE_TOO_LARGE", deadLetters.get(0).getReason());
            assertTrue(job.alive(), "the OutOfMemoryError did not take the JVM down");
            assertEquals(200, FaultRun.status(port, "/health/live"));
        }
    }

    private static double heapMaxBytes(String scrape) {
        double total = 0;
        for (String line : scrape.lines().toList()) {
            if (line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                total += Math.max(0, value); // G1 reports -1 for pools without their own limit
            }
        }
        return total;
    }

    /** A valid PNG of the given size, all pixels transparent black, written row by row. */
    static byte[] giantPng(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream ihdr = new DataOutputStream(header);
        ihdr.writeInt(width);
        ihdr.writeInt(height);
        ihdr.write(new byte[] {8, 6, 0, 0, 0}); // 8 bits, RGBA, deflate, no filter method, no interlace
        chunk(png, "IHDR", header.toByteArray());
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate =
                new DeflaterOutputStream(data, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            byte[] row = new byte[1 + width * 4]; // filter byte 0, then the pixels
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
        }
        chunk(png, "IDAT", data.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] body) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        out.writeInt(body.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.write(name);
        out.write(body);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(body);
        out.writeInt((int) crc.getValue());
    }
}
