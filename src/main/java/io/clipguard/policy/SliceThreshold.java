package io.clipguard.policy;

/**
 * A label's threshold for the uploads of one slice: those whose attribute {@code attribute} is
 * {@code value} (an upload attribute, such as {@code surface: profile_photo}). Only as an explicit
 * choice in the policy file: the default is one threshold per label for everyone (README, "Fairness").
 */
public record SliceThreshold(String attribute, String value, double threshold) {

    public SliceThreshold {
        if (attribute == null || attribute.isBlank() || value == null) {
            throw new IllegalArgumentException("a slice threshold needs an attribute and a value");
        }
    }

    /** Whether {@code attributes} (an upload's) put it in this slice. */
    public boolean matches(java.util.Map<String, String> attributes) {
        return value.equals(attributes.get(attribute));
    }
}
