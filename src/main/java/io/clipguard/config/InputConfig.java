package io.clipguard.config;

import io.clipguard.image.DecodeLimits;

/**
 * What an upload's image may cost and how it is decoded.
 *
 * <pre>
 * clipguard.input.max-image-bytes=20971520   # largest encoded image, inline or fetched
 * clipguard.input.max-pixels=50000000        # largest width x height a header may declare
 * clipguard.input.reduce-jpeg=true           # decode large JPEGs at 1/2, 1/4 or 1/8 size
 * </pre>
 *
 * @param limits     byte and pixel caps, checked before any pixel is decoded
 * @param reduceJpeg decode JPEGs in the DCT domain at the largest reduction that keeps the shorter
 *                   side at least twice the model's input; false decodes every image at full size
 */
public record InputConfig(DecodeLimits limits, boolean reduceJpeg) {

    /** The defaults, with the given byte cap. */
    public static InputConfig withMaxImageBytes(long maxImageBytes) {
        return new InputConfig(new DecodeLimits(maxImageBytes, DecodeLimits.DEFAULTS.maxPixels()), true);
    }

    static InputConfig read(Settings settings) {
        DecodeLimits limits = new DecodeLimits(
                settings.positiveLong("input.max-image-bytes", DecodeLimits.DEFAULTS.maxImageBytes()),
                settings.positiveLong("input.max-pixels", DecodeLimits.DEFAULTS.maxPixels()));
        return new InputConfig(limits, flag(settings, "input.reduce-jpeg", true));
    }

    static boolean flag(Settings settings, String key, boolean fallback) {
        String value = settings.text(key, String.valueOf(fallback));
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException(ConfigLoader.PREFIX + key + "=" + value + " is not valid: use true or false");
        }
        return Boolean.parseBoolean(value);
    }
}
