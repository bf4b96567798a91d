package io.clipguard.review;

/**
 * One line of the audit topic: who did what, when. Written for every claim, decision, undo and
 * release by the claims processor, and for every policy published by the console.
 *
 * @param atMs     when, epoch milliseconds
 * @param actor    who (the signed-in name)
 * @param action   for example {@code decide}, {@code undo}, {@code publish-shadow}, {@code promote}
 * @param subject  what it was done to: an upload id or a policy id
 * @param queue    the review queue, or null
 * @param detail   what was decided or published
 */
public record AuditEntry(long atMs, String actor, String action, String subject, String queue, String detail) {}
