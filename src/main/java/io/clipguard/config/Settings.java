package io.clipguard.config;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Typed reads of our own keys (prefix stripped), remembering which were read so typos are caught. */
final class Settings {

    private final Map<String, String> values;
    private final Map<String, Boolean> read = new HashMap<>();

    Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    String text(String key, String fallback) {
        read.put(key, true);
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** {@code true} or {@code false}, nothing else. */
    boolean flag(String key, boolean fallback) {
        String value = text(key, String.valueOf(fallback));
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException(ConfigLoader.PREFIX + key + "=" + value + " is not valid: use true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** A whole number from {@code min} to {@code max}. */
    int intInRange(String key, int fallback, int min, int max) {
        String text = text(key, String.valueOf(fallback)).strip();
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(ConfigLoader.PREFIX + key + "=" + text + " is not valid: use a whole number from "
                + min + " to " + max);
    }

    int positiveInt(String key, int fallback) {
        return (int) Math.min(Integer.MAX_VALUE, positiveLong(key, fallback));
    }

    long positiveLong(String key, long fallback) {
        String text = text(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(ConfigLoader.PREFIX + key + "=" + text + " is not valid: use a positive integer");
    }

    /** Every key under {@code prefix} (for example {@code log.level.}), without it, marked as read. */
    Map<String, String> under(String prefix) {
        Map<String, String> found = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                read.put(key, true);
                found.put(key.substring(prefix.length()), value.trim());
            }
        });
        return found;
    }

    void refuseUnknown() {
        TreeSet<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read.keySet());
        if (!unknown.isEmpty()) {
            throw new ConfigException(
                    "unknown setting " + ConfigLoader.PREFIX + unknown.first() + "; see deploy/CONFIGURATION.md");
        }
    }
}
