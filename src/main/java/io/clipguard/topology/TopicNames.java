package io.clipguard.topology;

/**
 * The names of the topics, from config; {@link #DEFAULTS} when none are set. {@code shadow} receives the
 * shadow policy's results where they differ from the live policy's.
 */
public record TopicNames(String uploads, String scored, String flagged, String dlq, String shadow) {

    public static final TopicNames DEFAULTS =
            new TopicNames("uploads", "moderation.scored", "moderation.flagged", "moderation.dlq", "moderation.shadow");

    /** Names with the default shadow topic. */
    public TopicNames(String uploads, String scored, String flagged, String dlq) {
        this(uploads, scored, flagged, dlq, "moderation.shadow");
    }
}
