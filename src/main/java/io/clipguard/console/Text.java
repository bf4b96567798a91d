package io.clipguard.console;

import java.util.regex.Pattern;

/** Checks on what people type and send: names, ids, notes. Each failure is a bad request that says why. */
final class Text {

    private static final Pattern CLAIM_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern POLICY_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    static final int MAX_NOTE_CHARS = 2_000;
    static final int MAX_QUEUE_CHARS = 200;

    private Text() {}

    static String claimId(String text) throws Http.Refused {
        if (text == null || !CLAIM_ID.matcher(text).matches()) {
            throw new Http.Refused(404, "no such item");
        }
        return text;
    }

    static String queue(String text) throws Http.Refused {
        if (text == null
                || text.isEmpty()
                || text.length() > MAX_QUEUE_CHARS
                || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new Http.Refused(
                    400, "not a review queue: a name of 1 to " + MAX_QUEUE_CHARS + " printable characters");
        }
        return text;
    }

    static boolean isUserName(String text) {
        return text != null && NAME.matcher(text).matches();
    }

    static String policyId(String text) throws Http.Refused {
        if (text == null || !POLICY_ID.matcher(text).matches()) {
            throw new Http.Refused(404, "no such policy");
        }
        return text;
    }

    static String note(String text) throws Http.Refused {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_NOTE_CHARS) {
            throw new Http.Refused(400, "the note is longer than " + MAX_NOTE_CHARS + " characters");
        }
        return text.strip();
    }

    static double fraction(String text, String what) throws Http.Refused {
        try {
            double value = Double.parseDouble(text);
            if (value > 0 && value < 1) {
                return value;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // below
        }
        throw new Http.Refused(400, what + " must be a number between 0 and 1 (exclusive)");
    }

    /** A value as it may appear in a message: short, printable. */
    static String shown(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
