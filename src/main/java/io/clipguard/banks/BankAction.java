package io.clipguard.banks;

import java.util.Locale;

/**
 * What a match in a bank does to an upload's decision. In order of precedence: a {@code block} bank
 * match blocks whatever else matched or CLIP said; an {@code allow} bank match (a known false match,
 * a negative bank) turns CLIP's flag and any {@code review} bank's into {@code allow}, but never a
 * {@code block} bank's; a {@code review} bank match sends the upload to its review queue unless CLIP
 * decided {@code block}.
 */
public enum BankAction {
    BLOCK,
    ALLOW,
    REVIEW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BankAction parse(String text) {
        for (BankAction action : values()) {
            if (action.wireName().equals(text)) {
                return action;
            }
        }
        throw new IllegalArgumentException("a bank's action is block, review or allow, got '" + text + "'");
    }
}
