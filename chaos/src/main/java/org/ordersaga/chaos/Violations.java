package org.ordersaga.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an audit found wrong, by the check it broke: every finding counted, the first few kept as examples. Clients
 * record refused orders from their own threads.
 */
final class Violations {

    private static final int EXAMPLES = 10;

    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Map<String, List<String>> examples = new LinkedHashMap<>();

    /** Declares a check, so that the report lists it with its count even when nothing broke it. */
    synchronized void check(String check) {
        counts.putIfAbsent(check, 0);
        examples.putIfAbsent(check, new ArrayList<>());
    }

    synchronized void add(String check, String example) {
        check(check);
        counts.merge(check, 1, Integer::sum);
        List<String> kept = examples.get(check);
        if (kept.size() < EXAMPLES) {
            kept.add(example);
        }
    }

    synchronized int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Each check with the number of findings against it, in the order the checks were declared. */
    synchronized Map<String, Integer> counts() {
        return counts;
    }

    synchronized List<String> examples(String check) {
        return examples.get(check);
    }
}
