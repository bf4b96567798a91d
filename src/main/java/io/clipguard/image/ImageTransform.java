package io.clipguard.image;

/** One step of the pre-processing pipeline; implementations are immutable and thread-safe. */
interface ImageTransform {

    RgbImage apply(RgbImage image);
}
