package io.clipguard.policy;

import java.util.Arrays;
import java.util.Locale;

/** What happens to an upload when a label fires, in increasing order of severity. */
public enum Action {
    ALLOW,
    REVIEW,
    BLOCK;

    /** Parses {@code allow}, {@code review} or {@code block} (any case). */
    public static Action parse(String text) {
        for (Action action : values()) {
            if (action.name().equalsIgnoreCase(text.trim())) {
                return action;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an action; valid: "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }

    /** The lower-case name used in events and policy files. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
