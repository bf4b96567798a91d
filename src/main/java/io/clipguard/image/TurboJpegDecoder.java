package io.clipguard.image;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.awt.image.BufferedImage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes grey and YCbCr JPEGs with the system's libjpeg-turbo through its TurboJPEG API
 * ({@code libturbojpeg.so.0}, Debian's {@code libturbojpeg0}), straight into the 8-bit RGB bytes the
 * resampler reads: the returned image only wraps them ({@link Rgb8Reader} takes them as they are). It uses the same algorithms as the
 * libjpeg-turbo inside OpenCV's jar (accurate integer IDCT, DCT-domain scaling, fancy upsampling),
 * with SIMD, which that build lacks: 1.5-2.4x faster on photographs, the same pixels
 * ({@code TurboJpegDecoderTest}).
 *
 * <p>{@code -Dclipguard.turbojpeg.disabled=true} leaves every JPEG to OpenCV (for comparisons).
 *
 * <p>Thread-safe: one TurboJPEG handle per call, and native buffers kept per thread, so that a
 * photograph costs no allocation outside the pixels it returns (none with {@code reuse}). Returns null, for the caller to fall back on
 * OpenCV, when the library is not installed or reports anything, a warning included: corrupt data
 * then takes the same route it took before this decoder existed.
 */
final class TurboJpegDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TurboJpegDecoder.class);
    private static final int PIXEL_FORMAT_RGB = 0;
    /** {@code TJFLAG_STOPONWARNING}: corrupt data stops the decode at once (OpenCV then takes it). */
    private static final int STOP_ON_WARNING = 1 << 13;

    private static final List<String> FUNCTIONS =
            List.of("tjInitDecompress", "tjDecompressHeader3", "tjDecompress2", "tjDestroy");

    /** Buffers larger than this (16 MiB, a 2,300 x 2,300 decode) are not kept between images. */
    static final int MAX_KEPT_BYTES = 16 << 20;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private TurboJpegDecoder() {}

    /** Whether {@code libturbojpeg.so.0} loaded on this machine; checked once. */
    static boolean available() {
        return Installed.LIB != null;
    }

    /**
     * The JPEG at {@code 1/scale} of its size, as stored (EXIF orientation not applied), or null
     * when TurboJPEG is missing, cannot decode it cleanly, or reads other dimensions than
     * {@code checked}, the header whose size the caller has already vetted. The image owns its pixels.
     */
    static BufferedImage decode(byte[] jpeg, JpegHeader checked, int scale) {
        return decode(jpeg, checked, scale, false);
    }

    /**
     * As {@link #decode(byte[], JpegHeader, int)}; with {@code reuse}, the pixels are written into an
     * array this thread keeps (up to {@link #MAX_KEPT_BYTES}), so the image is valid only until this
     * thread's next reusing decode: for a caller that pre-processes it at once.
     */
    static BufferedImage decode(byte[] jpeg, JpegHeader checked, int scale, boolean reuse) {
        TurboJpeg lib = Installed.LIB;
        if (lib == null) {
            return null;
        }
        Pointer handle = lib.tjInitDecompress();
        if (handle == null) {
            return null;
        }
        Scratch scratch = SCRATCH.get();
        try {
            Memory input = scratch.input(jpeg.length);
            input.write(0, jpeg, 0, jpeg.length); // once: a byte[] argument would be copied in and out per call
            NativeLong size = new NativeLong(jpeg.length);
            int[] width = new int[1];
            int[] height = new int[1];
            int[] subsampling = new int[1];
            int[] colourSpace = new int[1];
            if (lib.tjDecompressHeader3(handle, input, size, width, height, subsampling, colourSpace) != 0
                    || width[0] != checked.widthPx()
                    || height[0] != checked.heightPx()) {
                return null;
            }
            int outWidth = (width[0] + scale - 1) / scale;
            int outHeight = (height[0] + scale - 1) / scale;
            long bytes = 3L * outWidth * outHeight;
            if (bytes > Integer.MAX_VALUE - 8) {
                return null;
            }
            Memory pixels = scratch.pixels(bytes);
            int status = lib.tjDecompress2(
                    handle, input, size, pixels, outWidth, 0, outHeight, PIXEL_FORMAT_RGB, STOP_ON_WARNING);
            if (status != 0) {
                return null;
            }
            byte[] rgb = reuse ? scratch.rgb((int) bytes) : new byte[(int) bytes];
            pixels.read(0, rgb, 0, (int) bytes);
            return Rgb8Reader.packedRgb(outWidth, outHeight, rgb);
        } finally {
            scratch.release();
            lib.tjDestroy(handle);
        }
    }

    /**
     * One thread's buffers: the native copy of the JPEG and the native pixels (which never leave this
     * class), and the pixel array a reusing decode hands out. Each is kept for the next image unless
     * it had to grow past {@link #MAX_KEPT_BYTES}; a larger one is freed after its image.
     */
    private static final class Scratch {
        private Memory keptInput = new Memory(1);
        private Memory keptPixels = new Memory(1);
        private byte[] keptRgb = new byte[0];
        private Memory oneOffInput;
        private Memory oneOffPixels;

        Memory input(long bytes) {
            if (keptInput.size() >= bytes) {
                return keptInput;
            }
            if (bytes > MAX_KEPT_BYTES) {
                oneOffInput = new Memory(bytes);
                return oneOffInput;
            }
            keptInput.close();
            keptInput = new Memory(bytes);
            return keptInput;
        }

        Memory pixels(long bytes) {
            if (keptPixels.size() >= bytes) {
                return keptPixels;
            }
            if (bytes > MAX_KEPT_BYTES) {
                oneOffPixels = new Memory(bytes);
                return oneOffPixels;
            }
            keptPixels.close();
            keptPixels = new Memory(bytes);
            return keptPixels;
        }

        byte[] rgb(int bytes) {
            if (keptRgb.length >= bytes) {
                return keptRgb;
            }
            byte[] fresh = new byte[bytes];
            if (bytes <= MAX_KEPT_BYTES) {
                keptRgb = fresh;
            }
            return fresh;
        }

        /** Frees what was too large to keep. */
        void release() {
            if (oneOffInput != null) {
                oneOffInput.close();
                oneOffInput = null;
            }
            if (oneOffPixels != null) {
                oneOffPixels.close();
                oneOffPixels = null;
            }
        }
    }

    /** The part of {@code turbojpeg.h} (libjpeg-turbo 1.4 and later) this decoder calls. */
    interface TurboJpeg extends Library {
        Pointer tjInitDecompress();

        int tjDecompressHeader3(
                Pointer handle,
                Pointer jpeg,
                NativeLong jpegSize,
                int[] width,
                int[] height,
                int[] subsampling,
                int[] colourSpace);

        int tjDecompress2(
                Pointer handle,
                Pointer jpeg,
                NativeLong jpegSize,
                Pointer destination,
                int width,
                int pitch,
                int height,
                int pixelFormat,
                int flags);

        int tjDestroy(Pointer handle);
    }

    /** Loads the library on first use; absent is a supported set-up (OpenCV decodes instead). */
    private static final class Installed {
        static final TurboJpeg LIB = load();

        private static TurboJpeg load() {
            if (Boolean.getBoolean("clipguard.turbojpeg.disabled")) {
                return null;
            }
            for (String name : List.of("turbojpeg", "libturbojpeg.so.0")) {
                try {
                    NativeLibrary library = NativeLibrary.getInstance(name);
                    FUNCTIONS.forEach(library::getFunction); // all there now, or none used later
                    return Native.load(name, TurboJpeg.class);
                } catch (UnsatisfiedLinkError e) {
                    LOG.debug("{} not usable: {}", name, e.getMessage());
                }
            }
            LOG.info("libturbojpeg is not installed (Debian: apt-get install libturbojpeg0); JPEGs are decoded by"
                    + " OpenCV's built-in libjpeg-turbo, without SIMD");
            return null;
        }
    }
}
