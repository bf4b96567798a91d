package io.clipguard.banks;

import java.util.regex.Pattern;

/**
 * A named list of hashes and what a match does. Its entries are kept separately ({@link BankEntry}),
 * so that one can be added or removed without re-sending the list.
 *
 * @param name    [a-z0-9][a-z0-9_.-]*, at most 64 characters: it keys the bank's records
 * @param action  block, review or allow
 * @param queue   the review queue of uploads a {@code review} (or {@code block}) bank decides; by
 *                default the action's name, as for policy labels
 * @param source  where the list came from (a hash-sharing programme, a team), for people and audits
 * @param version the list's version, recorded on every match
 */
public record Bank(String name, BankAction action, String queue, String source, String version) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    public Bank {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a bank's name must match " + NAME.pattern() + ", got '" + name + "'");
        }
        if (action == null) {
            throw new IllegalArgumentException("bank " + name + " needs an action");
        }
        queue = queue == null || queue.isBlank() ? action.wireName() : Text.checked(queue, "queue", 256);
        source = source == null || source.isEmpty() ? "" : Text.checked(source, "source", 1024);
        version = version == null || version.isBlank() ? "1" : Text.checked(version, "version", 64);
    }
}
