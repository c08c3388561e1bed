package org.ordersaga.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the event contract, {@code docs/events.md}: each {@code ### Type} section, its topic and payload fields, and
 * the table of event sequences per saga outcome.
 */
public final class EventsDoc {

    public record Documented(String topic, List<String> fields) {}

    private EventsDoc() {}

    public static Map<String, Documented> events() {
        String markdown = markdown();
        Map<String, Documented> documented = new TreeMap<>();
        Matcher section = Pattern.compile("(?m)^### (\\w+)\\n(.*?)(?=^##|\\z)", Pattern.DOTALL)
                .matcher(markdown);
        while (section.find()) {
            Matcher topic = Pattern.compile("Topic `([\\w.]+)`").matcher(section.group(2));
            Matcher field = Pattern.compile("(?m)^\\| `(\\w+)` \\|").matcher(section.group(2));
            List<String> fields = new ArrayList<>();
            while (field.find()) {
                fields.add(field.group(1));
            }
            documented.put(section.group(1), new Documented(topic.find() ? topic.group(1) : null, fields));
        }
        return documented;
    }

    /**
     * The unconditional rows of the sequences table: outcome (e.g. {@code payment declined}) -> topic -> the event
     * types an order of that outcome puts on it, in order.
     */
    public static Map<String, Map<String, List<String>>> sequences() {
        List<String> rows = markdown()
                .lines()
                .dropWhile(line -> !line.equals("## Sequences per saga outcome"))
                .dropWhile(line -> !line.startsWith("|"))
                .takeWhile(line -> line.startsWith("|"))
                .toList();
        List<String> topics = cells(rows.get(0)).subList(1, 5).stream()
                .map(cell -> cell.replace("`", "").trim())
                .toList();
        Map<String, Map<String, List<String>>> sequences = new TreeMap<>();
        for (String row : rows.subList(2, rows.size())) {
            if (row.contains(" if ")) {
                continue;
            }
            List<String> cells = cells(row);
            Map<String, List<String>> byTopic = new TreeMap<>();
            for (int i = 0; i < topics.size(); i++) {
                String events = cells.get(i + 1).replace("`", "").trim();
                byTopic.put(topics.get(i), events.isEmpty() ? List.of() : List.of(events.split(",\\s*")));
            }
            sequences.put(cells.get(0).trim(), byTopic);
        }
        return sequences;
    }

    private static List<String> cells(String row) {
        return List.of(row.substring(1, row.length() - 1).split("\\|", -1));
    }

    private static String markdown() {
        try {
            return Files.readString(Path.of("..", "docs", "events.md"));
        } catch (IOException e) {
            throw new UncheckedIOException("docs/events.md is the event contract and must exist", e);
        }
    }
}
