package io.clipguard.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/** Images made in the test, never committed: encoders for each format, EXIF blocks, patterns. */
public final class TestImages {

    private TestImages() {}

    /**
     * Four flat quadrants, red top-left, green top-right, blue bottom-left, yellow bottom-right, with
     * a white band down the left edge so that mirror images differ from rotations.
     */
    public static BufferedImage quadrants(int widthPx, int heightPx, int imageType) {
        BufferedImage image = new BufferedImage(widthPx, heightPx, imageType);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, widthPx / 2, heightPx / 2);
        g.setColor(Color.GREEN);
        g.fillRect(widthPx / 2, 0, widthPx - widthPx / 2, heightPx / 2);
        g.setColor(Color.BLUE);
        g.fillRect(0, heightPx / 2, widthPx / 2, heightPx - heightPx / 2);
        g.setColor(Color.YELLOW);
        g.fillRect(widthPx / 2, heightPx / 2, widthPx - widthPx / 2, heightPx - heightPx / 2);
        g.dispose();
        return image;
    }

    /** A photo-like test card: smooth gradients, fine stripes and noise (for resampling checks). */
    public static BufferedImage texture(int widthPx, int heightPx, long seed) {
        BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_3BYTE_BGR);
        java.util.Random random = new java.util.Random(seed);
        for (int y = 0; y < heightPx; y++) {
            for (int x = 0; x < widthPx; x++) {
                int r = 255 * x / widthPx;
                int g = (int) (127 + 100 * Math.sin(x * 0.013 + y * 0.007));
                int b = (x / 37 + y / 29) % 2 == 0 ? 200 : 60;
                int n = random.nextInt(21) - 10;
                image.setRGB(x, y, clamp(r + n) << 16 | clamp(g + n) << 8 | clamp(b + n));
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JPEG at the given quality, baseline or progressive (the JDK writer, 4:2:0). */
    public static byte[] jpeg(BufferedImage image, float quality, boolean progressive) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        while (!writer.getClass().getName().startsWith("com.sun.") && writers.hasNext()) {
            writer = writers.next();
        }
        try (var stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            param.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * A 64 x 64 four-component JPEG with an Adobe APP14 marker: quadrants of full cyan, magenta,
     * yellow and black ink, stored inverted as Adobe does; as YCCK (transform 2) or plain CMYK.
     * Decoded right, they are 0x00FFFF, 0xFF00FF, 0xFFFF00 and 0x000000 (Pillow agrees).
     */
    public static byte[] cmykJpeg(boolean ycck) {
        java.awt.image.WritableRaster raster =
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 64, 64, 4, null);
        int[][] inks = {{255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 255}};
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                raster.setPixel(x, y, stored(inks[y / 32 * 2 + x / 32], ycck));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] adobe = {
            (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) (ycck ? 2 : 0)
        };
        return splice(out.toByteArray(), 2, adobe);
    }

    /** Adobe's stored samples for ink amounts: CMYK inverted, or YCC of (C, M, Y) plus inverted K. */
    private static int[] stored(int[] ink, boolean ycck) {
        if (!ycck) {
            return new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]};
        }
        double r = ink[0];
        double g = ink[1];
        double b = ink[2];
        return new int[] {
            clamp((int) Math.round(0.299 * r + 0.587 * g + 0.114 * b)),
            clamp((int) Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)),
            clamp((int) Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)),
            255 - ink[3]
        };
    }

    /** The JPEG with an APP1 EXIF segment holding only the orientation tag, right after SOI. */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = tiffWithOrientation(orientation, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + tiff.length)
                .put((byte) 0xFF)
                .put((byte) 0xE1)
                .putShort((short) (2 + 6 + tiff.length))
                .put("Exif\0\0".getBytes())
                .put(tiff);
        return splice(jpeg, 2, app1.array());
    }

    /** A TIFF block with IFD0 holding one SHORT entry, the orientation. */
    public static byte[] tiffWithOrientation(int orientation, ByteOrder order) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(order);
        tiff.put(order == ByteOrder.LITTLE_ENDIAN ? "II".getBytes() : "MM".getBytes());
        tiff.putShort((short) 42).putInt(8).putShort((short) 1);
        tiff.putShort((short) 0x0112)
                .putShort((short) 3)
                .putInt(1)
                .putShort((short) orientation)
                .putShort((short) 0);
        tiff.putInt(0);
        return tiff.array();
    }

    /** A WebP made by OpenCV's libwebp; {@code quality} above 100 is lossless. */
    public static byte[] webp(BufferedImage bgr, int quality) {
        OpenCvDecoder.available();
        Mat mat = new Mat(bgr.getHeight(), bgr.getWidth(), org.opencv.core.CvType.CV_8UC3);
        mat.put(0, 0, ((java.awt.image.DataBufferByte) bgr.getRaster().getDataBuffer()).getData());
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".webp", mat, out, new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, quality));
        byte[] bytes = out.toArray();
        mat.release();
        out.release();
        return bytes;
    }

    /** A lossless WebP with alpha, from a {@code TYPE_4BYTE_ABGR} image, made by OpenCV's libwebp. */
    public static byte[] webpWithAlpha(BufferedImage abgr) {
        byte[] data = ((java.awt.image.DataBufferByte) abgr.getRaster().getDataBuffer()).getData();
        byte[] bgra = new byte[data.length];
        for (int i = 0; i < data.length; i += 4) {
            bgra[i] = data[i + 1];
            bgra[i + 1] = data[i + 2];
            bgra[i + 2] = data[i + 3];
            bgra[i + 3] = data[i];
        }
        OpenCvDecoder.available();
        Mat mat = new Mat(abgr.getHeight(), abgr.getWidth(), org.opencv.core.CvType.CV_8UC4);
        mat.put(0, 0, bgra);
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".webp", mat, out, new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, 101));
        byte[] bytes = out.toArray();
        mat.release();
        out.release();
        return bytes;
    }

    /**
     * A two-frame animated WebP, 40 x 30, red then blue: VP8X with the animation flag, ANIM, and two
     * ANMF frames wrapping lossless bitstreams made by libwebp.
     */
    public static byte[] animatedWebp() {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        chunks.writeBytes(riffChunk(
                "VP8X",
                ByteBuffer.allocate(10)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .put((byte) 0x02)
                        .put(new byte[3])
                        .put(u24(39))
                        .put(u24(29))
                        .array()));
        chunks.writeBytes(riffChunk("ANIM", new byte[6]));
        for (Color colour : new Color[] {Color.RED, Color.BLUE}) {
            BufferedImage frame = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = frame.createGraphics();
            g.setColor(colour);
            g.fillRect(0, 0, 40, 30);
            g.dispose();
            byte[] single = webp(frame, 101);
            byte[] bitstream = Arrays.copyOfRange(single, 12, single.length); // the VP8L chunk
            ByteBuffer anmf = ByteBuffer.allocate(16 + bitstream.length)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .put(u24(0))
                    .put(u24(0))
                    .put(u24(39))
                    .put(u24(29))
                    .put(u24(100))
                    .put((byte) 0)
                    .put(bitstream);
            chunks.writeBytes(riffChunk("ANMF", anmf.array()));
        }
        byte[] body = chunks.toByteArray();
        return ByteBuffer.allocate(12 + body.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes())
                .putInt(4 + body.length)
                .put("WEBP".getBytes())
                .put(body)
                .array();
    }

    private static byte[] riffChunk(String type, byte[] data) {
        ByteBuffer chunk =
                ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        return chunk.put(type.getBytes()).putInt(data.length).put(data).array();
    }

    private static byte[] u24(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16)};
    }

    public static byte[] splice(byte[] bytes, int at, byte[] inserted) {
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return out;
    }

    /** The colour at (x, y) as 0xRRGGBB, read the way the pre-processor reads it. */
    public static int rgb(BufferedImage image, int x, int y) {
        RgbImage rgb = Rgb8Reader.read(image);
        return rgb.sample(x, y, 0) << 16 | rgb.sample(x, y, 1) << 8 | rgb.sample(x, y, 2);
    }

    /** The PNG with an {@code eXIf} chunk holding the orientation, right after IHDR. */
    public static byte[] pngWithExifOrientation(byte[] png, int orientation) {
        return splice(png, 33, pngChunk("eXIf", tiffWithOrientation(orientation, ByteOrder.BIG_ENDIAN)));
    }

    /** A PNG chunk: length, type, data, CRC of type and data. */
    public static byte[] pngChunk(String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes());
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length)
                .putInt(data.length)
                .put(type.getBytes())
                .put(data)
                .putInt((int) crc.getValue())
                .array();
    }

    /** A PNG signature and IHDR chunk only: dimensions without any pixel data. */
    public static byte[] pngHeaderOnly(int widthPx, int heightPx) {
        byte[] ihdr = ByteBuffer.allocate(13)
                .putInt(widthPx)
                .putInt(heightPx)
                .put(new byte[] {8, 2, 0, 0, 0})
                .array();
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        return splice(signature, 8, pngChunk("IHDR", ihdr));
    }

    /** An animated GIF: one frame per colour, each {@code widthPx} x {@code heightPx}. */
    public static byte[] animatedGif(int widthPx, int heightPx, Color... frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (Color colour : frames) {
                BufferedImage frame = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = frame.createGraphics();
                g.setColor(colour);
                g.fillRect(0, 0, widthPx, heightPx);
                g.dispose();
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
