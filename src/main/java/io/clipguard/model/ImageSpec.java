package io.clipguard.model;

import java.util.List;

/**
 * How an image becomes the image encoder's input, CLIP style: resize the shorter side to
 * {@code sizePx}, crop the centre square, multiply by {@code rescale}, subtract {@code mean},
 * divide by {@code std}, per RGB channel, laid out channels-first.
 *
 * @param sizePx side of the square input in pixels (224 for CLIP ViT-B/32)
 * @param resize resize rule; only {@code shorter_side} is supported
 * @param interpolation resampling filter; only {@code bicubic} (Pillow's, antialiased) is supported
 * @param crop crop rule; only {@code center} is supported
 * @param rescale factor applied to 8-bit values, normally 1/255
 * @param mean per-channel mean, R, G, B, subtracted after rescaling
 * @param std per-channel standard deviation, R, G, B, divided by after subtracting the mean
 */
public record ImageSpec(
        int sizePx,
        String resize,
        String interpolation,
        String crop,
        double rescale,
        List<Double> mean,
        List<Double> std) {

    public ImageSpec {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }
}
