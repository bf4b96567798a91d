package io.clipguard.config;

import java.util.Optional;

/**
 * Known content: the bank topic and how its hashes match.
 *
 * <pre>
 * clipguard.banks.topic=moderation.banks   # the compacted bank topic; unset: no bank matching
 * clipguard.banks.radius=31                # the largest Hamming distance that matches (0-64)
 * clipguard.banks.min-quality=50           # uploads whose PDQ quality is lower are not matched (0-100)
 * clipguard.banks.dihedral=false           # also match the image's 7 other rotations and flips
 * </pre>
 */
public record BankConfig(Optional<String> topic, int radius, int minQuality, boolean dihedral) {

    public static final BankConfig NONE = new BankConfig(Optional.empty(), 31, 50, false);

    static BankConfig read(Settings settings) {
        return new BankConfig(
                Optional.ofNullable(settings.text("banks.topic", null)),
                settings.intInRange("banks.radius", 31, 0, 64),
                settings.intInRange("banks.min-quality", 50, 0, 100),
                settings.flag("banks.dihedral", false));
    }
}
