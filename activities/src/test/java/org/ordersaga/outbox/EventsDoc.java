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
 * Reads the event contract, {@code docs/events.md}: each {@code ### Type} section, its topic and payload fields.
 */
public final class EventsDoc {

    public record Documented(String topic, List<String> fields) {}

    private EventsDoc() {}

    public static Map<String, Documented> events() {
        Map<String, Documented> documented = new TreeMap<>();
        Matcher section = sections();
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

    /** Each event type's one-line description, which follows its topic: "The customer's balance was debited." */
    static Map<String, String> summaries() {
        Map<String, String> summaries = new TreeMap<>();
        Matcher section = sections();
        while (section.find()) {
            Matcher summary = Pattern.compile("Topic `[\\w.]+`\\. (.+)").matcher(section.group(2));
            summaries.put(section.group(1), summary.find() ? summary.group(1) : null);
        }
        return summaries;
    }

    /** Each event type's links to schema files, relative to {@code docs/}. */
    static Map<String, List<String>> schemaLinks() {
        Map<String, List<String>> links = new TreeMap<>();
        Matcher section = sections();
        while (section.find()) {
            Matcher link =
                    Pattern.compile("\\]\\((events/schemas/[\\w/.]+\\.json)\\)").matcher(section.group(2));
            List<String> files = new ArrayList<>();
            while (link.find()) {
                files.add(link.group(1));
            }
            links.put(section.group(1), files);
        }
        return links;
    }

    private static Matcher sections() {
        return Pattern.compile("(?m)^### (\\w+)\\n(.*?)(?=^##|\\z)", Pattern.DOTALL)
                .matcher(markdown());
    }

    static String markdown() {
        try {
            return Files.readString(Path.of("..", "docs", "events.md"));
        } catch (IOException e) {
            throw new UncheckedIOException("docs/events.md is the event contract and must exist", e);
        }
    }
}
