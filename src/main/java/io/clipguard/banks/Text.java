package io.clipguard.banks;

/** Checks for the strings a bank carries: hash lists come from outside, and their text reaches every result. */
final class Text {

    private Text() {}

    /** {@code value} when it is at most {@code max} characters without control characters; else why not. */
    static String checked(String value, String what, int max) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a " + what + " must not be empty");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(
                    "a " + what + " is at most " + max + " characters, got " + value.length());
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a " + what + " must not contain control characters");
        }
        return value;
    }
}
