package io.clipguard.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Where a GIF's first frame sits on its logical screen, read from the blocks before the first
 * image's data. ImageIO returns the frame alone; Pillow, which CLIP's reference pre-processing
 * uses, returns the whole screen (grown to hold the frame) with the frame pasted at its offset and
 * the rest filled with the transparent index (or index 0). {@link #onScreen} does the same.
 *
 * @param screenWidthPx    logical screen width
 * @param screenHeightPx   logical screen height
 * @param leftPx           the first frame's left edge on the screen
 * @param topPx            the first frame's top edge on the screen
 * @param transparentIndex the first frame's transparent palette index, or -1
 */
record GifLayout(int screenWidthPx, int screenHeightPx, int leftPx, int topPx, int transparentIndex) {

    /** Reads the layout; null when the blocks end before an image descriptor (ImageIO will fail). */
    static GifLayout parse(byte[] gif) {
        int at = 13 + ((gif[10] & 0x80) != 0 ? 3 << ((gif[10] & 0x07) + 1) : 0);
        int transparent = -1;
        while (at + 10 <= gif.length) {
            int block = gif[at] & 0xFF;
            if (block == 0x2C) {
                return new GifLayout(u16(gif, 6), u16(gif, 8), u16(gif, at + 1), u16(gif, at + 3), transparent);
            }
            if (block != 0x21) {
                return null;
            }
            if ((gif[at + 1] & 0xFF) == 0xF9 && (gif[at + 3] & 0x01) != 0) {
                transparent = gif[at + 6] & 0xFF;
            }
            at += 2;
            while (at < gif.length && gif[at] != 0) {
                at += 1 + (gif[at] & 0xFF);
            }
            at++;
        }
        return null;
    }

    /** The canvas width for a frame of this width: the screen, grown to hold the frame. */
    long canvasWidthPx(long frameWidthPx) {
        return Math.max(screenWidthPx, leftPx + frameWidthPx);
    }

    /** The canvas height for a frame of this height: the screen, grown to hold the frame. */
    long canvasHeightPx(long frameHeightPx) {
        return Math.max(screenHeightPx, topPx + frameHeightPx);
    }

    /** The frame on its canvas; the frame itself when it covers the canvas or is not indexed. */
    BufferedImage onScreen(BufferedImage frame) {
        int width = (int) canvasWidthPx(frame.getWidth());
        int height = (int) canvasHeightPx(frame.getHeight());
        boolean covers = leftPx == 0 && topPx == 0 && frame.getWidth() == width && frame.getHeight() == height;
        if (covers || !(frame.getColorModel() instanceof IndexColorModel palette)) {
            return frame;
        }
        WritableRaster screen = palette.createCompatibleWritableRaster(width, height);
        int[] fill = new int[width];
        Arrays.fill(fill, Math.max(0, transparentIndex));
        for (int y = 0; y < height; y++) {
            screen.setSamples(0, y, width, 1, 0, fill);
        }
        screen.setRect(leftPx, topPx, frame.getRaster());
        return new BufferedImage(palette, screen, false, null);
    }

    private static int u16(byte[] bytes, int at) {
        return bytes[at] & 0xFF | (bytes[at + 1] & 0xFF) << 8;
    }
}
