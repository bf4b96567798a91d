package io.clipguard.topology;

/** The names of the topics, from config; {@link #DEFAULTS} when none are set. */
public record TopicNames(String uploads, String scored, String flagged, String dlq) {

    public static final TopicNames DEFAULTS =
            new TopicNames("uploads", "moderation.scored", "moderation.flagged", "moderation.dlq");
}
