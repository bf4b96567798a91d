package io.clipguard.app;

import io.clipguard.encode.ImageEncoder;
import io.clipguard.image.ClipPreprocessor;
import io.clipguard.image.ImageDecoder;
import io.clipguard.image.ImageRejectedException;
import io.clipguard.policy.ImageEmbedder;
import io.clipguard.policy.PolicyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Embeds a label's exemplar images with the same decoder, pre-processing and encoder as uploads. */
final class ExemplarImages implements ImageEmbedder {

    private final ImageDecoder decoder;
    private final ClipPreprocessor preprocessor;
    private final ImageEncoder encoder;

    ExemplarImages(ImageDecoder decoder, ClipPreprocessor preprocessor, ImageEncoder encoder) {
        this.decoder = decoder;
        this.preprocessor = preprocessor;
        this.encoder = encoder;
    }

    @Override
    public float[][] embed(List<Path> images) {
        List<float[]> pixels = new ArrayList<>();
        for (Path image : images) {
            try {
                pixels.add(preprocessor.apply(decoder.decode(Files.readAllBytes(image))));
            } catch (IOException | ImageRejectedException e) {
                throw new PolicyException("exemplar image " + image + " cannot be used: " + e.getMessage(), e);
            }
        }
        return encoder.encode(pixels);
    }
}
