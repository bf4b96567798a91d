package io.clipguard.config;

import io.clipguard.image.DecodeLimits;
import io.clipguard.image.RoutingImageDecoder;
import io.clipguard.ingest.FetchSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an upload's image may cost, how it is decoded, and how images by reference are fetched.
 *
 * <pre>
 * clipguard.input.max-image-bytes=20971520        # largest encoded image, inline or fetched
 * clipguard.input.max-pixels=50000000             # largest width x height a header may declare
 * clipguard.input.reduce-jpeg=true                # decode large JPEGs at 1/2, 1/4 or 1/8 size
 * clipguard.input.reduce-jpeg-margin=2            # ... keeping the shorter side >= 2x the model's input
 * clipguard.input.fetch.schemes=https             # https, http, file (comma-separated) or none
 * clipguard.input.fetch.allowed-hosts=            # img.example.com,*.cdn.example.com; empty = any public host
 * clipguard.input.fetch.allowed-networks=         # CIDRs exempt from the non-public address refusal
 * clipguard.input.fetch.allowed-ports=80,443      # or * for any
 * clipguard.input.fetch.connect-timeout-ms=2000
 * clipguard.input.fetch.read-timeout-ms=5000
 * clipguard.input.fetch.timeout-ms=10000          # one attempt, redirects and body included
 * clipguard.input.fetch.deadline-ms=20000         # one upload, all attempts and backoff included
 * clipguard.input.fetch.threads=32                # fetches in progress at once (I/O, not CPU)
 * clipguard.input.fetch.max-redirects=3
 * clipguard.input.fetch.max-attempts=3
 * clipguard.input.fetch.retry-backoff-ms=200
 * clipguard.input.fetch.file-base-dir=            # required with the file scheme
 * </pre>
 *
 * @param limits           byte and pixel caps, checked before any pixel is decoded
 * @param reduceJpeg       decode JPEGs in the DCT domain at the largest reduction that keeps the
 *                         shorter side at least {@code reduceJpegMargin} times the model's input;
 *                         false decodes every image at full size
 * @param reduceJpegMargin 2 (the default) keeps the model's image within about one grey level of a
 *                         full decode; 1 costs about 15% less CPU on 2-4 MP photographs and moves it
 *                         by up to 5 grey levels on some (deploy/bench/PROFILE.md has the figures)
 * @param fetch            fetching by reference and the SSRF guard
 */
public record InputConfig(DecodeLimits limits, boolean reduceJpeg, int reduceJpegMargin, FetchSettings fetch) {

    private static final String FETCH = "input.fetch.";

    /** The defaults, with the given byte cap. */
    public static InputConfig withMaxImageBytes(long maxImageBytes) {
        return new InputConfig(
                new DecodeLimits(maxImageBytes, DecodeLimits.DEFAULTS.maxPixels()),
                true,
                RoutingImageDecoder.FAITHFUL_MARGIN,
                FetchSettings.DEFAULTS);
    }

    static InputConfig read(Settings settings) {
        DecodeLimits limits = new DecodeLimits(
                settings.positiveLong("input.max-image-bytes", DecodeLimits.DEFAULTS.maxImageBytes()),
                settings.positiveLong("input.max-pixels", DecodeLimits.DEFAULTS.maxPixels()));
        int margin = settings.positiveInt("input.reduce-jpeg-margin", RoutingImageDecoder.FAITHFUL_MARGIN);
        if (margin > 8) {
            throw new ConfigException(
                    ConfigLoader.PREFIX + "input.reduce-jpeg-margin=" + margin
                            + " is not valid: use 2 (faithful, the default) or 1 (faster, coarser); above 8 nothing is reduced");
        }
        return new InputConfig(limits, settings.flag("input.reduce-jpeg", true), margin, fetch(settings));
    }

    private static FetchSettings fetch(Settings settings) {
        FetchSettings d = FetchSettings.DEFAULTS;
        String schemes = settings.text(FETCH + "schemes", String.join(",", d.schemes()));
        try {
            return new FetchSettings(
                    schemes.equals("none") ? Set.of() : Set.copyOf(list(schemes)),
                    list(settings.text(FETCH + "allowed-hosts", "")),
                    list(settings.text(FETCH + "allowed-networks", "")),
                    ports(settings.text(FETCH + "allowed-ports", "80,443")),
                    millis(settings, "connect-timeout-ms", d.connectTimeout()),
                    millis(settings, "read-timeout-ms", d.readTimeout()),
                    millis(settings, "timeout-ms", d.fetchTimeout()),
                    redirects(settings.text(FETCH + "max-redirects", String.valueOf(d.maxRedirects()))),
                    settings.positiveInt(FETCH + "max-attempts", d.maxAttempts()),
                    millis(settings, "retry-backoff-ms", d.retryBackoff()),
                    baseDir(settings.text(FETCH + "file-base-dir", null)),
                    millis(settings, "deadline-ms", d.deadline()),
                    settings.positiveInt(FETCH + "threads", d.threads()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigLoader.PREFIX + FETCH + "schemes=" + schemes
                    + " with these settings is not valid: " + e.getMessage());
        }
    }

    private static Set<Integer> ports(String text) {
        if (text.equals("*")) {
            return Set.of();
        }
        try {
            return list(text).stream().map(Integer::valueOf).collect(Collectors.toSet());
        } catch (NumberFormatException e) {
            throw new ConfigException(ConfigLoader.PREFIX + FETCH + "allowed-ports=" + text
                    + " is not valid: use port numbers separated by commas, or *");
        }
    }

    private static int redirects(String text) {
        if (!text.matches("\\d{1,2}")) {
            throw new ConfigException(
                    ConfigLoader.PREFIX + FETCH + "max-redirects=" + text + " is not valid: use 0 to 99");
        }
        return Integer.parseInt(text);
    }

    private static Optional<Path> baseDir(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (!Files.isDirectory(Path.of(text))) {
            throw new ConfigException(ConfigLoader.PREFIX + FETCH + "file-base-dir=" + text + " is not a directory");
        }
        return Optional.of(Path.of(text));
    }

    private static Duration millis(Settings settings, String key, Duration fallback) {
        return Duration.ofMillis(settings.positiveLong(FETCH + key, fallback.toMillis()));
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
