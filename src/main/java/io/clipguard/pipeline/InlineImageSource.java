package io.clipguard.pipeline;

import io.clipguard.avro.UploadedImage;
import java.nio.ByteBuffer;

/**
 * Takes the image from the event itself. Uploads that carry only a URI are refused with
 * {@link Reason#URI_UNSUPPORTED}: fetching by reference is a separate, guarded source.
 */
public final class InlineImageSource implements Stages.ImageSource {

    private final long maxImageBytes;

    public InlineImageSource(long maxImageBytes) {
        this.maxImageBytes = maxImageBytes;
    }

    @Override
    public byte[] bytes(UploadedImage upload) throws RejectedUploadException {
        ByteBuffer inline = upload.getImageBytes();
        if (inline != null) {
            if (inline.remaining() > maxImageBytes) {
                throw new RejectedUploadException(Reason.IMAGE_TOO_LARGE, "inline image has " + inline.remaining()
                        + " bytes, the limit is " + maxImageBytes);
            }
            byte[] bytes = new byte[inline.remaining()];
            inline.duplicate().get(bytes);
            return bytes;
        }
        if (upload.getImageUri() != null) {
            throw new RejectedUploadException(Reason.URI_UNSUPPORTED, "no fetcher is configured for image_uri "
                    + upload.getImageUri());
        }
        throw new RejectedUploadException(Reason.MISSING_IMAGE, "the upload has neither image_bytes nor image_uri");
    }
}
