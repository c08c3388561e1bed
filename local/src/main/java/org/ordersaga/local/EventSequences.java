package org.ordersaga.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The events each saga outcome puts on each topic, as the event contract ({@code docs/events.md}) gives them. */
public final class EventSequences {

    private EventSequences() {}

    /**
     * The unconditional rows of the contract's sequences table: outcome (e.g. {@code payment declined}) -> topic -> the
     * event types an order of that outcome puts on it, in order; topics it puts nothing on are left out.
     */
    public static Map<String, Map<String, List<String>>> documented(Path eventsMarkdown) {
        List<String> rows = markdown(eventsMarkdown)
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
                if (!events.isEmpty()) {
                    byTopic.put(topics.get(i), List.of(events.split(",\\s*")));
                }
            }
            sequences.put(cells.get(0).trim(), byTopic);
        }
        return sequences;
    }

    private static List<String> cells(String row) {
        return List.of(row.substring(1, row.length() - 1).split("\\|", -1));
    }

    private static String markdown(Path eventsMarkdown) {
        try {
            return Files.readString(eventsMarkdown);
        } catch (IOException e) {
            throw new UncheckedIOException(eventsMarkdown + " is the event contract and must exist", e);
        }
    }
}
