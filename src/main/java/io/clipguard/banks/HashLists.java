package io.clipguard.banks;

import io.clipguard.pdq.PdqHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the plain formats hash lists are exchanged in:
 *
 * <ul>
 *   <li><b>one hash per line</b>: 64 hex digits, blank lines and {@code #} comments ignored; each
 *       entry's id is its hash;
 *   <li><b>CSV</b> with a header row naming a {@code hash} column, and optionally {@code id} and
 *       {@code quality}; every other column is kept as the entry's metadata (RFC 4180 quoting, one
 *       record per line).
 * </ul>
 *
 * A list is taken whole or not at all: every bad line is reported with its number (the first 10),
 * so that a truncated or mangled download is not half-imported. A hash listed twice is kept once.
 */
public final class HashLists {

    private static final int MAX_ERRORS = 10;
    private static final int MAX_LINE_CHARS = 64 * 1024;

    /** The entries of a list, and how many lines repeated an id already read. */
    public record Parsed(List<BankEntry> entries, int duplicates) {}

    private HashLists() {}

    public static Parsed read(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.getFileName().toString());
        }
    }

    static Parsed read(BufferedReader reader, String name) throws IOException {
        Map<String, BankEntry> entries = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        int duplicates = 0;
        List<String> header = null;
        boolean decided = false;
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte-order mark some tools write first
            }
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                if (text.length() > MAX_LINE_CHARS) {
                    throw new IllegalArgumentException("line longer than " + MAX_LINE_CHARS + " characters");
                }
                if (!decided) {
                    decided = true;
                    if (text.contains(",")) {
                        header = csv(text).stream()
                                .map(column -> column.strip().toLowerCase(Locale.ROOT))
                                .toList();
                        if (!header.contains("hash")) {
                            throw new IllegalArgumentException("a CSV list needs a 'hash' column, got " + header);
                        }
                        continue;
                    }
                }
                BankEntry entry = header == null ? plain(text) : csvEntry(header, csv(text));
                BankEntry earlier = entries.putIfAbsent(entry.id(), entry);
                if (earlier != null && !earlier.hash().equals(entry.hash())) {
                    throw new IllegalArgumentException("id " + entry.id() + " is listed again with another hash");
                }
                if (earlier != null) {
                    duplicates++;
                }
            } catch (IllegalArgumentException e) {
                if (errors.size() < MAX_ERRORS) {
                    errors.add(name + ":" + number + ": " + e.getMessage());
                } else if (errors.size() == MAX_ERRORS) {
                    errors.add("... and more");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("the list is not imported:\n  " + String.join("\n  ", errors));
        }
        return new Parsed(List.copyOf(entries.values()), duplicates);
    }

    private static BankEntry plain(String text) {
        PdqHash hash = PdqHash.parse(text);
        return new BankEntry(hash.hex(), hash, null, Map.of());
    }

    private static BankEntry csvEntry(List<String> header, List<String> fields) {
        if (fields.size() != header.size()) {
            throw new IllegalArgumentException(header.size() + " columns in the header, " + fields.size() + " here");
        }
        PdqHash hash = null;
        String id = null;
        Integer quality = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String value = fields.get(c).strip();
            switch (header.get(c)) {
                case "hash" -> hash = PdqHash.parse(value);
                case "id" -> id = value.isEmpty() ? null : value;
                case "quality" -> quality = value.isEmpty() ? null : quality(value);
                default -> {
                    if (!value.isEmpty()) {
                        metadata.put(header.get(c), value);
                    }
                }
            }
        }
        return new BankEntry(id == null ? hash.hex() : id, hash, quality, metadata);
    }

    private static int quality(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("quality must be a whole number from 0 to 100, got '" + value + "'");
        }
    }

    /** The fields of one CSV record: commas separate, double quotes quote, two double quotes are one. */
    static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted field is not closed");
        }
        fields.add(field.toString());
        return fields;
    }
}
