package io.clipguard.pdq;

import java.util.Arrays;
import java.util.List;

/**
 * PDQ, Meta's perceptual hash for photographs, from the published algorithm (the reference
 * implementation in facebook/ThreatExchange, {@code pdq/cpp}), bit for bit: the same pixels give the
 * same hash and quality as the reference ({@code PdqHasherTest} on its test images).
 *
 * <ol>
 *   <li>An image larger than 512 pixels on a side is first resized to 512 x 512 by nearest neighbour,
 *       as the reference's photo hasher does.
 *   <li>Luminance {@code 0.299 R + 0.587 G + 0.114 B}, in single precision as the reference computes it.
 *   <li>Jarosz's tent filter: two passes of a box filter along the rows then the columns, each window
 *       {@code ceil(side / 128)} wide (the reference's rounding), then decimation to 64 x 64 by
 *       sampling the centres.
 *   <li>Quality (0-100): the sum of the 64 x 64 image's neighbour differences, scaled; a flat or
 *       nearly flat image scores low and its hash is not worth matching.
 *   <li>The 16 x 16 block of a 2-D DCT of the 64 x 64 image, without the DC row and column; bit
 *       {@code 16 i + j} is set when coefficient (i, j) is above the block's median.
 * </ol>
 *
 * <p>The dihedral hashes (the 8 rotations and flips of the image) come from the same DCT block by
 * sign changes and a transpose, without hashing again: a rotated or mirrored copy of a banked image
 * hashes close to one of them.
 *
 * <p>Cost grows with the pixels: hash the image the pipeline already decoded (a JPEG reduced in the
 * DCT domain is small), never the original bytes again. Thread-safe; allocates its buffers per call.
 */
public final class PdqHasher {

    /** Quality under which a hash carries too little to match on (the industry's default floor). */
    public static final int DEFAULT_MIN_QUALITY = 50;

    private static final float LUMA_R = 0.299f;
    private static final float LUMA_G = 0.587f;
    private static final float LUMA_B = 0.114f;
    private static final int PASSES = 2;
    private static final int ROWS_AT_ONCE = 4;
    /**
     * The reference photo hasher first resizes an image larger than this on either side to this square
     * (CImg's nearest-neighbour {@code resize}, aspect ratio not kept): the Jarosz filter on a full
     * photograph costs too much, and the 64 x 64 it is reduced to loses nothing by it.
     */
    static final int DOWNSAMPLE_PX = 512;

    /** The DCT matrix, rows 1-16 of the 64-point DCT-II (row 0, the DC, left out), as the reference builds it. */
    private static final float[] DCT = dctMatrix();

    /** A hash with its quality. */
    public record Hashed(PdqHash hash, int quality) {}

    /** The 8 dihedral hashes of one image, each with the image's quality, original first. */
    public record Dihedral(
            PdqHash original,
            PdqHash rotate90,
            PdqHash rotate180,
            PdqHash rotate270,
            PdqHash flipX,
            PdqHash flipY,
            PdqHash flipPlus1,
            PdqHash flipMinus1,
            int quality) {

        public List<PdqHash> all() {
            return List.of(original, rotate90, rotate180, rotate270, flipX, flipY, flipPlus1, flipMinus1);
        }
    }

    private PdqHasher() {}

    /**
     * Hashes an 8-bit RGB image: {@code rgb} holds R, G, B per pixel, rows packed, and may be longer
     * than {@code 3 * width * height} (a reused buffer).
     */
    public static Hashed hash(int width, int height, byte[] rgb) {
        Spectrum spectrum = spectrum(width, height, rgb);
        return new Hashed(bits(spectrum.block()), spectrum.quality());
    }

    /** The hash of the image and of its 7 other rotations and flips, from one DCT. */
    public static Dihedral dihedral(int width, int height, byte[] rgb) {
        Spectrum spectrum = spectrum(width, height, rgb);
        float[] a = spectrum.block();
        float[] b = new float[256];
        int quality = spectrum.quality();
        PdqHash original = bits(a);
        // the reference's dct16OriginalTo* transforms: a flip negates odd frequencies along its axis
        // (index i is frequency i + 1), a rotation is a transpose with such negations
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                b[16 * j + i] = (j & 1) != 0 ? a[16 * i + j] : -a[16 * i + j];
            }
        }
        PdqHash rotate90 = bits(b);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                b[16 * i + j] = ((i + j) & 1) != 0 ? -a[16 * i + j] : a[16 * i + j];
            }
        }
        PdqHash rotate180 = bits(b);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                b[16 * j + i] = (i & 1) != 0 ? a[16 * i + j] : -a[16 * i + j];
            }
        }
        PdqHash rotate270 = bits(b);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                b[16 * i + j] = (i & 1) != 0 ? a[16 * i + j] : -a[16 * i + j];
            }
        }
        PdqHash flipX = bits(b);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                b[16 * i + j] = (j & 1) != 0 ? a[16 * i + j] : -a[16 * i + j];
            }
        }
        PdqHash flipY = bits(b);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                b[16 * j + i] = a[16 * i + j];
            }
        }
        PdqHash flipPlus1 = bits(b);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                b[16 * j + i] = ((i + j) & 1) != 0 ? -a[16 * i + j] : a[16 * i + j];
            }
        }
        PdqHash flipMinus1 = bits(b);
        return new Dihedral(original, rotate90, rotate180, rotate270, flipX, flipY, flipPlus1, flipMinus1, quality);
    }

    /** The 16 x 16 DCT block (row-major) of an image, and the quality of its 64 x 64 reduction. */
    private record Spectrum(float[] block, int quality) {}

    private static Spectrum spectrum(int width, int height, byte[] rgb) {
        if (width < 1 || height < 1 || rgb.length < 3L * width * height) {
            throw new IllegalArgumentException(
                    "expected " + width + " x " + height + " RGB pixels, got " + rgb.length + " bytes");
        }
        int side = DOWNSAMPLE_PX;
        boolean reduce = width > side || height > side;
        float[] buffer1 = reduce ? luma(width, height, rgb, side, side) : luma(width, height, rgb, width, height);
        if (reduce) {
            width = side;
            height = side;
        }
        float[] buffer2 = new float[buffer1.length];
        int windowAlongRows = windowSize(width);
        int windowAlongCols = windowSize(height);
        for (int pass = 0; pass < PASSES; pass++) {
            boxRows(buffer1, buffer2, width, height, windowAlongRows);
            boxColumns(buffer2, buffer1, width, height, windowAlongCols);
        }
        float[] image64 = new float[64 * 64];
        for (int i = 0; i < 64; i++) {
            int inRow = (int) (((i + 0.5) * height) / 64);
            for (int j = 0; j < 64; j++) {
                int inColumn = (int) (((j + 0.5) * width) / 64);
                image64[64 * i + j] = buffer1[inRow * width + inColumn];
            }
        }
        float[] block = new float[256];
        float[] rows = new float[16 * 64];
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 64; j++) {
                float sum = 0;
                for (int k = 0; k < 64; k++) {
                    sum += DCT[64 * i + k] * image64[64 * k + j];
                }
                rows[64 * i + j] = sum;
            }
        }
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                float sum = 0;
                for (int k = 0; k < 64; k++) {
                    sum += rows[64 * i + k] * DCT[64 * j + k];
                }
                block[16 * i + j] = sum;
            }
        }
        return new Spectrum(block, quality(image64));
    }

    /**
     * The luminance of the image resized to {@code outWidth x outHeight} by nearest neighbour as CImg's
     * default {@code resize} samples (column {@code floor(x * width / outWidth)}), or as it is when
     * the sizes are equal.
     */
    private static float[] luma(int width, int height, byte[] rgb, int outWidth, int outHeight) {
        float[] luma = new float[outWidth * outHeight];
        int[] column = new int[outWidth];
        for (int x = 0; x < outWidth; x++) {
            column[x] = 3 * (int) ((long) x * width / outWidth);
        }
        for (int y = 0, p = 0; y < outHeight; y++) {
            int row = 3 * width * (int) ((long) y * height / outHeight);
            for (int x = 0; x < outWidth; x++, p++) {
                int s = row + column[x];
                luma[p] = LUMA_R * (rgb[s] & 0xFF) + LUMA_G * (rgb[s + 1] & 0xFF) + LUMA_B * (rgb[s + 2] & 0xFF);
            }
        }
        return luma;
    }

    /** The reference's window: {@code (side + 2 * 64 - 1) / (2 * 64)}, at least 1. */
    static int windowSize(int side) {
        return (side + 2 * 64 - 1) / (2 * 64);
    }

    /**
     * The reference's {@code box1DFloat} along every row: a running mean over {@code window} samples,
     * centred, the window shrinking at both ends. Rows advance {@link #ROWS_AT_ONCE} at a time, one
     * column at a time, so that their running sums (each a chain of dependent additions) are computed
     * side by side while their cache lines stay in cache; each row sees the same operations in the same
     * order as {@code box1DFloat} applies to it alone.
     */
    private static void boxRows(float[] in, float[] out, int width, int height, int window) {
        for (int first = 0; first < height; first += ROWS_AT_ONCE) {
            boxRows(in, out, width, first, Math.min(height, first + ROWS_AT_ONCE), window);
        }
    }

    private static void boxRows(float[] in, float[] out, int width, int firstRow, int endRow, int window) {
        int half = (window + 2) / 2;
        int phase1 = half - 1;
        int phase2 = window - half + 1;
        int phase3 = width - window;
        int phase4 = half - 1;
        float[] sum = new float[endRow - firstRow];
        int start = firstRow * width;
        int end = endRow * width;
        int li = 0;
        int ri = 0;
        int oi = 0;
        int current = 0;
        for (int i = 0; i < phase1; i++, ri++) {
            for (int y = 0, row = start; row < end; y++, row += width) {
                sum[y] += in[row + ri];
            }
            current++;
        }
        for (int i = 0; i < phase2; i++, ri++, oi++) {
            current++;
            for (int y = 0, row = start; row < end; y++, row += width) {
                sum[y] += in[row + ri];
                out[row + oi] = sum[y] / current;
            }
        }
        for (int i = 0; i < phase3; i++, li++, ri++, oi++) {
            for (int y = 0, row = start; row < end; y++, row += width) {
                sum[y] += in[row + ri];
                sum[y] -= in[row + li];
                out[row + oi] = sum[y] / current;
            }
        }
        for (int i = 0; i < phase4; i++, li++, oi++) {
            current--;
            for (int y = 0, row = start; row < end; y++, row += width) {
                sum[y] -= in[row + li];
                out[row + oi] = sum[y] / current;
            }
        }
    }

    /**
     * The same down every column at once, sweeping the rows in order (the columns of a row are adjacent
     * in memory): each column sees the same operations in the same order as {@code box1DFloat} would
     * apply to it alone, so the result is the same to the bit.
     */
    private static void boxColumns(float[] in, float[] out, int width, int height, int window) {
        int half = (window + 2) / 2;
        int phase1 = half - 1;
        int phase2 = window - half + 1;
        int phase3 = height - window;
        int phase4 = half - 1;
        float[] sum = new float[width];
        int li = 0;
        int ri = 0;
        int oi = 0;
        int current = 0;
        for (int i = 0; i < phase1; i++, ri += width) {
            for (int x = 0; x < width; x++) {
                sum[x] += in[ri + x];
            }
            current++;
        }
        for (int i = 0; i < phase2; i++, ri += width, oi += width) {
            current++;
            for (int x = 0; x < width; x++) {
                sum[x] += in[ri + x];
                out[oi + x] = sum[x] / current;
            }
        }
        for (int i = 0; i < phase3; i++, li += width, ri += width, oi += width) {
            for (int x = 0; x < width; x++) {
                sum[x] += in[ri + x];
                sum[x] -= in[li + x];
                out[oi + x] = sum[x] / current;
            }
        }
        for (int i = 0; i < phase4; i++, li += width, oi += width) {
            current--;
            for (int x = 0; x < width; x++) {
                sum[x] -= in[li + x];
                out[oi + x] = sum[x] / current;
            }
        }
    }

    /** The reference's image-domain quality: neighbour differences of the 64 x 64 image, scaled to 0-100. */
    private static int quality(float[] image64) {
        int gradientSum = 0;
        for (int i = 0; i < 63; i++) {
            for (int j = 0; j < 64; j++) {
                gradientSum += Math.abs((int) ((image64[64 * i + j] - image64[64 * (i + 1) + j]) * 100 / 255));
            }
        }
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 63; j++) {
                gradientSum += Math.abs((int) ((image64[64 * i + j] - image64[64 * i + j + 1]) * 100 / 255));
            }
        }
        return Math.min(100, gradientSum / 90);
    }

    /** Bit (i, j) set when the coefficient is above the median (the 128th smallest of the 256). */
    private static PdqHash bits(float[] block) {
        float[] sorted = block.clone();
        Arrays.sort(sorted);
        float median = sorted[127];
        boolean[] bits = new boolean[256];
        for (int k = 0; k < 256; k++) {
            bits[k] = block[k] > median;
        }
        return PdqHash.ofBits(bits);
    }

    private static float[] dctMatrix() {
        float[] matrix = new float[16 * 64];
        double scale = Math.sqrt(2.0 / 64.0);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 64; j++) {
                matrix[64 * i + j] = (float) (scale * Math.cos((Math.PI / 2 / 64.0) * (i + 1) * (2 * j + 1)));
            }
        }
        return matrix;
    }
}
