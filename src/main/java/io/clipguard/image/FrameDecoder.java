package io.clipguard.image;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** Decodes the first frame of an image whose format is known, checking its header against limits. */
@FunctionalInterface
interface FrameDecoder {
    BufferedImage decode(ImageFormat format, byte[] bytes) throws IOException;
}
