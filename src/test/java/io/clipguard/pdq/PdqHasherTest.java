package io.clipguard.pdq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clipguard.image.DecodeLimits;
import io.clipguard.image.RoutingImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The hasher against the PDQ reference's own test vectors (hashes and qualities computed by its C++
 * {@code pdq-photo-hasher}): the same pixels, the same hash, bit for bit. Four of the twelve images
 * are in the repository ({@code src/test/resources/pdq}: both sizes of path, larger and smaller than
 * 512 pixels, and a flat image of quality 0); all twelve are checked where the workspace has them
 * ({@code ../shared/pdq}).
 */
class PdqHasherTest {

    static final Path BUNDLED = Path.of("src/test/resources/pdq");
    static final Path ALL = Path.of("../shared/pdq");

    record Vector(String hash, int quality, String file) {}

    @Test
    void hashesTheBundledReferenceImagesBitForBit() throws IOException {
        assertBitExact(BUNDLED, 4);
    }

    @Test
    void hashesAllTwelveReferenceImagesBitForBitWhereTheWorkspaceHasThem() throws IOException {
        assumeTrue(Files.isDirectory(ALL.resolve("images")), "../shared/pdq is not in this workspace");
        assertBitExact(ALL, 12);
    }

    /**
     * Each of the 8 hashes made from one DCT is within a few bits of hashing the image really rotated
     * or flipped that way (not bit-exact: the reference's nearest-neighbour resize samples a flipped
     * image at other pixels), and far from the other seven.
     */
    @Test
    void dihedralHashesMatchTheRotatedAndFlippedImages() throws IOException {
        BufferedImage pen =
                ImageIO.read(BUNDLED.resolve("images/pen-and-coaster.png").toFile());
        PdqHasher.Dihedral dihedral = PdqHasher.dihedral(pen.getWidth(), pen.getHeight(), rgb(pen));
        assertEquals(PdqHasher.hash(pen.getWidth(), pen.getHeight(), rgb(pen)).hash(), dihedral.original());
        Transform[] transforms = Transform.values();
        for (int j = 0; j < transforms.length; j++) {
            BufferedImage image = transforms[j].apply(pen);
            PdqHash real = PdqHasher.hash(image.getWidth(), image.getHeight(), rgb(image))
                    .hash();
            for (int i = 0; i < 8; i++) {
                int d = dihedral.all().get(i).distance(real);
                if (i == j) {
                    assertTrue(d <= 16, transforms[j] + ": " + d + " bits from its dihedral hash");
                } else {
                    assertTrue(d > 31, transforms[j] + " matches dihedral hash " + i + " at " + d);
                }
            }
        }
    }

    /** The reference's own rotated and flipped files against the dihedral hashes of the original. */
    @Test
    void dihedralHashesOfTheOriginalMatchTheReferencesRotatedFiles() throws IOException {
        assumeTrue(Files.isDirectory(ALL.resolve("images")), "../shared/pdq is not in this workspace");
        List<Vector> bridge = vectors(ALL).stream()
                .filter(v -> v.file().startsWith("bridge-"))
                .toList();
        BufferedImage original =
                ImageIO.read(ALL.resolve("images/bridge-1-original.png").toFile());
        PdqHasher.Dihedral dihedral = PdqHasher.dihedral(original.getWidth(), original.getHeight(), rgb(original));
        assertEquals(8, bridge.size());
        for (int i = 0; i < 8; i++) {
            int d = dihedral.all().get(i).distance(PdqHash.parse(bridge.get(i).hash()));
            assertTrue(d <= 31, bridge.get(i).file() + " is " + d + " bits from its dihedral hash");
        }
    }

    /**
     * A JPEG copy, decoded as the pipeline decodes it (reduced in the DCT domain), hashes within 10
     * bits of the reference's hash of the original pixels: the reference's own tolerance.
     */
    @Test
    void jpegCopiesDecodedByThePipelineAgreeWithinTenBits() throws IOException {
        RoutingImageDecoder decoder = RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, 224);
        for (Vector vector : vectors(BUNDLED)) {
            if (vector.quality() < 80) {
                continue;
            }
            BufferedImage image = ImageIO.read(
                    BUNDLED.resolve("images").resolve(vector.file()).toFile());
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(image, 0, 0, null);
            ImageIO.write(rgb, "jpg", jpeg);
            BufferedImage decoded = decoder.decode(jpeg.toByteArray());
            PdqHash hash = PdqHasher.hash(decoded.getWidth(), decoded.getHeight(), rgb(decoded))
                    .hash();
            int d = hash.distance(PdqHash.parse(vector.hash()));
            assertTrue(
                    d <= 10,
                    vector.file() + " as JPEG, decoded at " + decoded.getWidth() + " x " + decoded.getHeight() + ": "
                            + d + " bits away");
        }
    }

    @Test
    void hexRoundTripsAndBadHexIsRefused() {
        String hex = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
        PdqHash hash = PdqHash.parse(hex.toUpperCase(java.util.Locale.ROOT));
        assertEquals(hex, hash.hex());
        assertTrue(hash.bit(255), "the first hex digit, d, holds bits 255..252");
        assertTrue(hash.bit(254));
        assertTrue(!hash.bit(253));
        assertEquals(0xd8f8, hash.slot(15));
        assertEquals(0x9b22, hash.slot(0));
        assertEquals(0, hash.distance(PdqHash.parse(hex)));
        assertEquals(256, hash.distance(PdqHash.parse(invert(hex))));
        for (String bad : new String[] {"", "abc", hex + "0", hex.substring(1) + "g", " ".repeat(64)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PdqHash.parse(bad));
            assertTrue(e.getMessage().startsWith("a PDQ hash is 64 hex digits"), e.getMessage());
        }
    }

    private static String invert(String hex) {
        StringBuilder out = new StringBuilder();
        for (char c : hex.toCharArray()) {
            out.append(Character.forDigit(15 - Character.digit(c, 16), 16));
        }
        return out.toString();
    }

    private static void assertBitExact(Path dir, int expectedCount) throws IOException {
        List<Vector> vectors = vectors(dir);
        assertEquals(expectedCount, vectors.size());
        for (Vector vector : vectors) {
            BufferedImage image =
                    ImageIO.read(dir.resolve("images").resolve(vector.file()).toFile());
            PdqHasher.Hashed hashed = PdqHasher.hash(image.getWidth(), image.getHeight(), rgb(image));
            assertEquals(vector.hash(), hashed.hash().hex(), vector.file());
            assertEquals(vector.quality(), hashed.quality(), vector.file() + ": quality");
        }
    }

    static List<Vector> vectors(Path dir) throws IOException {
        List<Vector> vectors = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("expected.csv"))) {
            String[] fields = line.split(",");
            if (fields[0].equals("hash")) {
                continue;
            }
            if (Files.exists(dir.resolve("images").resolve(fields[2]))) {
                vectors.add(new Vector(fields[0], Integer.parseInt(fields[1]), fields[2]));
            }
        }
        return vectors;
    }

    /** R, G, B per pixel, rows packed. */
    static byte[] rgb(BufferedImage image) {
        byte[] out = new byte[3 * image.getWidth() * image.getHeight()];
        for (int y = 0, p = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++, p += 3) {
                int argb = image.getRGB(x, y);
                out[p] = (byte) (argb >> 16);
                out[p + 1] = (byte) (argb >> 8);
                out[p + 2] = (byte) argb;
            }
        }
        return out;
    }

    /** The 8 exact rotations and flips, by where each output pixel is read from. */
    enum Transform {
        ORIGINAL(false),
        ROTATE_90_CCW(true),
        ROTATE_180(false),
        ROTATE_90_CW(true),
        MIRROR_TOP_BOTTOM(false),
        MIRROR_LEFT_RIGHT(false),
        TRANSPOSE(true),
        ANTI_TRANSPOSE(true);

        final boolean swaps;

        Transform(boolean swaps) {
            this.swaps = swaps;
        }

        BufferedImage apply(BufferedImage in) {
            int w = in.getWidth();
            int h = in.getHeight();
            BufferedImage out = new BufferedImage(swaps ? h : w, swaps ? w : h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < out.getHeight(); y++) {
                for (int x = 0; x < out.getWidth(); x++) {
                    int[] s =
                            switch (this) {
                                case ORIGINAL -> new int[] {x, y};
                                case ROTATE_90_CW -> new int[] {y, h - 1 - x};
                                case ROTATE_180 -> new int[] {w - 1 - x, h - 1 - y};
                                case ROTATE_90_CCW -> new int[] {w - 1 - y, x};
                                case MIRROR_LEFT_RIGHT -> new int[] {w - 1 - x, y};
                                case MIRROR_TOP_BOTTOM -> new int[] {x, h - 1 - y};
                                case TRANSPOSE -> new int[] {y, x};
                                case ANTI_TRANSPOSE -> new int[] {w - 1 - y, h - 1 - x};
                            };
                    out.setRGB(x, y, in.getRGB(s[0], s[1]));
                }
            }
            return out;
        }
    }
}
