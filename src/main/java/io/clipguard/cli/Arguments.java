package io.clipguard.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code --name value} options followed by positional arguments, checked against the options the
 * command knows: an unknown or misspelt option, an option without a value, an option given twice or
 * a value that is not the number it must be is an error that names the option.
 */
record Arguments(Map<String, String> options, List<String> positional, List<String> raw) {

    /**
     * @param known the option names this command takes, without the leading dashes
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static Arguments parse(String[] args, Set<String> known) {
        Map<String, String> options = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                positional.add(args[i]);
                continue;
            }
            String name = args[i].substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + closest(name, known)
                        + "; this command takes "
                        + (known.isEmpty() ? "no options" : "--" + String.join(", --", new TreeSet<>(known))));
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (options.put(name, value) != null) {
                throw new IllegalArgumentException("option --" + name + " is given twice");
            }
        }
        return new Arguments(Map.copyOf(options), List.copyOf(positional), List.of(args));
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    String optional(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** A whole number option. */
    long integer(String name, long fallback) {
        return number(name, fallback, Long::parseLong, "a whole number");
    }

    /** A decimal number option, or null when it is not given and there is no fallback. */
    Double decimal(String name, Double fallback) {
        return number(name, fallback, Double::parseDouble, "a number");
    }

    private <T> T number(String name, T fallback, Function<String, T> parse, String what) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " " + value + " is not " + what);
        }
    }

    /** " (did you mean --x?)" for a near miss, else nothing. */
    private static String closest(String name, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 4) ? " (did you mean --" + best + "?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
