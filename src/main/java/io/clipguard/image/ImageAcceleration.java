package io.clipguard.image;

/**
 * Which of the two speed-ups this JVM has, for the start-up log: the system's libjpeg-turbo (SIMD)
 * for JPEGs, and the Vector API for resampling. Without them the same pixels come out, at about
 * twice the CPU per photograph.
 */
public final class ImageAcceleration {

    private ImageAcceleration() {}

    /** Whether both are in use. */
    public static boolean complete() {
        return TurboJpegDecoder.available() && ResizeAndCrop.SIMD;
    }

    /** One line naming what is in use and, for what is not, how to get it. */
    public static String summary() {
        return (TurboJpegDecoder.available()
                        ? "JPEG: the system's libjpeg-turbo (SIMD)"
                        : "JPEG: OpenCV's built-in libjpeg-turbo, without SIMD (install libturbojpeg0 for about"
                                + " 1.5-2x faster decoding)")
                + "; resampling: "
                + (ResizeAndCrop.SIMD
                        ? "Vector API"
                        : "scalar (start java with --add-modules jdk.incubator.vector for about 2.5x faster"
                                + " pre-processing)");
    }
}
