package io.clipguard.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes the first frame of a PNG, GIF, BMP, WebP or (when the reduced route cannot take it) JPEG
 * with an {@code ImageIO} reader chosen by the sniffed format, after checking the header's
 * dimensions against the limits; then turns it upright by its EXIF orientation. Prefers the
 * TwelveMonkeys reader where one is registered (it decodes CMYK and YCCK JPEGs correctly; the
 * JDK's returns wrong colours without an error). Thread-safe: one reader per call.
 */
final class ImageIoFrameDecoder implements FrameDecoder {

    static {
        // Decode from memory only: ImageIO's default cache would spill every stream to a temp file.
        ImageIO.setUseCache(false);
    }

    private final DecodeLimits limits;

    ImageIoFrameDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    @Override
    public BufferedImage decode(ImageFormat format, byte[] bytes) throws IOException {
        ImageReader reader = readerFor(format);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int widthPx = reader.getWidth(0);
            int heightPx = reader.getHeight(0);
            limits.checkDimensions(widthPx, heightPx);
            GifLayout gif = format == ImageFormat.GIF ? GifLayout.parse(bytes) : null;
            if (gif != null) {
                limits.checkDimensions(gif.canvasWidthPx(widthPx), gif.canvasHeightPx(heightPx));
            }
            BufferedImage image = reader.read(0);
            image = gif == null ? image : gif.onScreen(image);
            return Orientation.apply(image, ExifOrientation.of(format, bytes));
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers =
                ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (chosen == null || reader.getClass().getName().startsWith("com.twelvemonkeys.")) {
                if (chosen != null) {
                    chosen.dispose();
                }
                chosen = reader;
            } else {
                reader.dispose();
            }
        }
        if (chosen == null) {
            throw new ImageRejectedException(
                    RejectReason.UNSUPPORTED_FORMAT, "no decoder is installed for " + format.displayName());
        }
        return chosen;
    }
}
