package io.clipguard.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The decoder for untrusted uploads. Checks the byte count, tells the format from the magic bytes,
 * reads the dimensions from the header and refuses pixel bombs before decoding any pixel, then
 * takes the cheapest faithful route:
 *
 * <ul>
 *   <li>JPEG (grey or YCbCr): decoded at 1/2, 1/4 or 1/8 size in the DCT domain, the largest
 *       reduction that keeps the shorter side at least {@code minShortSidePx} (twice the model's
 *       input: the model's image then differs from a full decode by well under one grey level), by
 *       the system's libjpeg-turbo when it is installed, else by OpenCV's (the same pixels, slower);
 *   <li>WebP (first frame of an animation): decoded at full size by libwebp (OpenCV);
 *   <li>CMYK/YCCK JPEG, PNG, GIF (first frame), BMP: decoded at full size by ImageIO
 *       (TwelveMonkeys for JPEG).
 * </ul>
 *
 * A progressive JPEG of more than 100 scans is refused from its markers ({@link JpegScans}): each
 * scan costs the decoder a pass over the whole image, so many tiny scans are a CPU bomb.
 *
 * <p>Every route returns the image upright by its EXIF orientation. Alpha is kept: the pre-processor
 * composites it over white, the same for every format. Other formats (HEIC, AVIF, TIFF, SVG, PDF,
 * text, ...) are refused as {@link RejectReason#UNSUPPORTED_FORMAT}, naming what was sent.
 *
 * <p>Thread-safe. Failure modes: only {@link ImageRejectedException}, whatever the bytes: a
 * decoder's runtime exception or stack overflow becomes {@code IMAGE_UNDECODABLE}, running out of
 * memory becomes {@code IMAGE_TOO_LARGE}.
 */
public final class RoutingImageDecoder implements ImageDecoder {

    private static final String ACCEPTED = Arrays.stream(ImageFormat.values())
            .filter(ImageFormat::accepted)
            .map(ImageFormat::displayName)
            .collect(Collectors.joining(", "));

    private final DecodeLimits limits;
    private final int minShortSidePx;
    private final FrameDecoder frames;

    /**
     * @param limits         byte and pixel caps
     * @param minShortSidePx the shorter side a reduced JPEG decode must keep; 2 x the model's input
     *                       size is faithful, {@code Integer.MAX_VALUE} always decodes at full size
     */
    public RoutingImageDecoder(DecodeLimits limits, int minShortSidePx) {
        this(limits, minShortSidePx, new ImageIoFrameDecoder(limits));
    }

    RoutingImageDecoder(DecodeLimits limits, int minShortSidePx, FrameDecoder frames) {
        if (minShortSidePx <= 0) {
            throw new IllegalArgumentException("minShortSidePx must be positive, got " + minShortSidePx);
        }
        this.limits = limits;
        this.minShortSidePx = minShortSidePx;
        this.frames = frames;
    }

    /** Reduced JPEGs keep at least this many times the model's input: within about a grey level of a full decode. */
    public static final int FAITHFUL_MARGIN = 2;

    /** A decoder for a model whose input is {@code modelSizePx} square. */
    public static RoutingImageDecoder forModelInput(DecodeLimits limits, int modelSizePx) {
        return new RoutingImageDecoder(limits, FAITHFUL_MARGIN * modelSizePx);
    }

    @Override
    public BufferedImage decode(byte[] imageBytes) {
        return decode(imageBytes, false);
    }

    /** JPEGs decoded by TurboJPEG land in this thread's kept pixel array; other routes allocate as before. */
    @Override
    public BufferedImage decodeReusing(byte[] imageBytes) {
        return decode(imageBytes, true);
    }

    private BufferedImage decode(byte[] imageBytes, boolean reuse) {
        limits.checkBytes(imageBytes);
        ImageFormat format = ImageFormat.sniff(imageBytes);
        if (!format.accepted()) {
            throw new ImageRejectedException(
                    RejectReason.UNSUPPORTED_FORMAT,
                    "format " + format.displayName() + " is not accepted; accepted: " + ACCEPTED);
        }
        try {
            return switch (format) {
                case JPEG -> jpeg(imageBytes, reuse);
                case WEBP -> webp(imageBytes);
                default -> frames.decode(format, imageBytes);
            };
        } catch (ImageRejectedException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_TOO_LARGE, "ran out of memory decoding a " + format.displayName() + " image", e);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            OutOfMemoryError outOfMemory = outOfMemory(e);
            if (outOfMemory != null) {
                // ImageIO's PNG reader wraps whatever its read throws, an OutOfMemoryError included: the
                // error itself is the cause, so that the upload is tried again before it is blamed
                throw new ImageRejectedException(
                        RejectReason.IMAGE_TOO_LARGE,
                        "ran out of memory decoding a " + format.displayName() + " image",
                        outOfMemory);
            }
            throw new ImageRejectedException(
                    RejectReason.IMAGE_UNDECODABLE,
                    "cannot decode " + format.displayName() + " image: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The OutOfMemoryError among the first few causes, or null. */
    private static OutOfMemoryError outOfMemory(Throwable e) {
        Throwable cause = e;
        for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError outOfMemory) {
                return outOfMemory;
            }
        }
        return null;
    }

    private BufferedImage jpeg(byte[] bytes, boolean reuse) throws IOException {
        JpegHeader header = JpegHeader.parse(bytes);
        limits.checkDimensions(header.widthPx(), header.heightPx());
        if (header.progressive()) {
            JpegScans.requireFew(bytes);
        }
        if (header.components() != 4) {
            int scale = OpenCvDecoder.scaleFor(header.widthPx(), header.heightPx(), minShortSidePx);
            BufferedImage image = TurboJpegDecoder.decode(bytes, header, scale, reuse);
            if (image != null) {
                return Orientation.apply(image, ExifOrientation.ofJpeg(bytes, header));
            }
            image = OpenCvDecoder.available() ? OpenCvDecoder.decodeJpeg(bytes, scale) : null;
            if (image != null) {
                return image;
            }
        }
        return frames.decode(ImageFormat.JPEG, bytes);
    }

    private BufferedImage webp(byte[] bytes) {
        WebpHeader header = WebpHeader.parse(bytes);
        limits.checkDimensions(header.widthPx(), header.heightPx());
        if (!OpenCvDecoder.available()) {
            throw new ImageRejectedException(RejectReason.UNSUPPORTED_FORMAT, "no decoder is installed for webp");
        }
        BufferedImage image = header.animated() ? firstFrame(bytes, header) : OpenCvDecoder.decodeWebp(bytes);
        if (image == null) {
            throw new ImageRejectedException(RejectReason.IMAGE_UNDECODABLE, "cannot decode webp image");
        }
        return Orientation.apply(image, ExifOrientation.of(ImageFormat.WEBP, bytes));
    }

    /** The first frame where it sits on a transparent canvas of the declared size. */
    private BufferedImage firstFrame(byte[] bytes, WebpHeader header) {
        WebpFirstFrame first = WebpFirstFrame.of(bytes);
        WebpHeader frameHeader = WebpHeader.parse(first.still()); // a frame's bitstream states its own size
        limits.checkDimensions(frameHeader.widthPx(), frameHeader.heightPx());
        BufferedImage frame = OpenCvDecoder.decodeWebp(first.still());
        if (frame == null
                || first.xPx() == 0
                        && first.yPx() == 0
                        && frame.getWidth() == header.widthPx()
                        && frame.getHeight() == header.heightPx()) {
            return frame;
        }
        BufferedImage canvas = new BufferedImage(header.widthPx(), header.heightPx(), BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = canvas.createGraphics();
        g.setComposite(java.awt.AlphaComposite.Src);
        g.drawImage(frame, first.xPx(), first.yPx(), null);
        g.dispose();
        return canvas;
    }
}
