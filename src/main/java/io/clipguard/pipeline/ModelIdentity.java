package io.clipguard.pipeline;

/** Which model made a decision; stamped on every result. */
public record ModelIdentity(String id, String version) {}
