package io.clipguard.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A minimal {@link ImageDecoder} on the JDK's {@code ImageIO}: picks a reader from the content
 * (never from a name), reads width and height from the header, rejects images over
 * {@code maxPixels} before decoding, then decodes the first frame. Thread-safe: each call uses its
 * own reader. Does not handle CMYK JPEGs, EXIF orientation or WebP.
 */
public final class ImageIoDecoder implements ImageDecoder {

    /** Formats accepted by default, as {@code ImageReader} format names in lower case. */
    public static final Set<String> DEFAULT_FORMATS = Set.of("jpeg", "png", "gif", "bmp");

    private final long maxPixels;
    private final Set<String> formats;

    /** A decoder for {@link #DEFAULT_FORMATS} that rejects images over {@code maxPixels}. */
    public ImageIoDecoder(long maxPixels) {
        this(maxPixels, DEFAULT_FORMATS);
    }

    /** A decoder for the given {@code ImageReader} format names (lower case). */
    public ImageIoDecoder(long maxPixels, Set<String> formats) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
        this.formats = Set.copyOf(formats);
        // Decode from memory only: ImageIO's default cache would spill every stream to a temp file.
        ImageIO.setUseCache(false);
    }

    @Override
    public BufferedImage decode(byte[] imageBytes) {
        if (imageBytes == null || imageBytes.length == 0) {
            throw new ImageRejectedException(RejectReason.IMAGE_EMPTY, "no image bytes");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(imageBytes))) {
            ImageReader reader = readerFor(in);
            try {
                reader.setInput(in, true, true);
                checkSize(reader.getWidth(0), reader.getHeight(0));
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw e instanceof ImageRejectedException rejected ? rejected : undecodable(e);
        }
    }

    private ImageReader readerFor(ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new ImageRejectedException(
                    RejectReason.UNSUPPORTED_FORMAT, "unrecognised image format; accepted: " + formats);
        }
        ImageReader reader = readers.next();
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        if (!formats.contains(format)) {
            reader.dispose();
            throw new ImageRejectedException(
                    RejectReason.UNSUPPORTED_FORMAT, "format " + format + " is not accepted; accepted: " + formats);
        }
        return reader;
    }

    private void checkSize(int widthPx, int heightPx) {
        if (widthPx <= 0 || heightPx <= 0) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_UNDECODABLE, "header declares " + widthPx + "x" + heightPx + " px");
        }
        if ((long) widthPx * heightPx > maxPixels) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_TOO_LARGE,
                    "image is " + widthPx + "x" + heightPx + " px, over the limit of " + maxPixels + " px");
        }
    }

    private static ImageRejectedException undecodable(Exception e) {
        return new ImageRejectedException(
                RejectReason.IMAGE_UNDECODABLE,
                "cannot decode image: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                e);
    }
}
