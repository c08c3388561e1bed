package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ordersaga.ToolRun;
import org.yaml.snakeyaml.Yaml;

/**
 * The alerting rules of {@code docker/prometheus/alerts.yml}: valid, as promtool checks them, and right, as promtool's
 * unit tests of them ({@code alerts.test.yml}) show, each alert firing on the series that should raise it and no
 * other; and the README says what to do for each. promtool comes from {@code scripts/promtool.sh}; without it those
 * tests are skipped, loudly, and with {@code REQUIRE_PROMTOOL=1} (as in CI) they fail. {@code LocalStackIT} checks that
 * the processes export every metric the rules and the Grafana dashboard read.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("..", "docker", "prometheus", "alerts.yml");
    private static final Path TESTS = Path.of("..", "docker", "prometheus", "alerts.test.yml");
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Path DASHBOARD = Path.of("..", "docker", "grafana", "dashboards", "order-saga.json");

    @Test
    void promtoolFindsTheRulesValid() throws Exception {
        ToolRun checked = promtool("check", "rules", RULES.toString());
        assertEquals(0, checked.exitCode(), checked.output());
        assertTrue(checked.output().contains("SUCCESS: " + alerts().size() + " rules found"), checked.output());
    }

    @Test
    void eachAlertFiresOnWhatShouldRaiseItAndOnNothingElseInPromtoolsUnitTests() throws Exception {
        ToolRun run = promtool("test", "rules", TESTS.toString());
        assertEquals(0, run.exitCode(), run.output());
        Set<String> tested = new TreeSet<>();
        Matcher alert = Pattern.compile("(?m)^ +alertname: (\\w+)$").matcher(Files.readString(TESTS));
        while (alert.find()) {
            tested.add(alert.group(1));
        }
        assertEquals(new TreeSet<>(alerts()), tested, "every alert has unit tests");
    }

    @Test
    void theReadmeSaysWhatToDoForEachAlert() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String operating = readme.substring(readme.indexOf("## Operating it"), readme.indexOf("## Performance"));
        assertEquals(
                List.of(),
                alerts().stream()
                        .filter(alert -> !operating.contains("**`" + alert + "`**"))
                        .toList());
    }

    /** The metrics the rules and the Grafana dashboard read: every name in their expressions that looks like one. */
    static Set<String> metrics() throws IOException {
        List<String> expressions = new ArrayList<>();
        rules().forEach(rule -> expressions.add((String) rule.get("expr")));
        new ObjectMapper()
                .readTree(DASHBOARD.toFile())
                .path("panels")
                .forEach(panel -> panel.path("targets")
                        .forEach(target -> expressions.add(target.path("expr").asText())));
        Set<String> metrics = new TreeSet<>();
        Pattern metric = Pattern.compile(
                "\\b([a-z]+(?:_[a-z]+)+_(?:total|seconds_sum|seconds_count|seconds|rows|events|active))\\b");
        for (String expression : expressions) {
            Matcher name = metric.matcher(expression);
            while (name.find()) {
                metrics.add(name.group(1));
            }
        }
        return metrics;
    }

    private static List<String> alerts() throws IOException {
        return rules().stream().map(rule -> (String) rule.get("alert")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    private static ToolRun promtool(String... arguments) throws Exception {
        Path log = Files.createDirectories(Path.of("target")).resolve("promtool.log");
        ToolRun found =
                ToolRun.of(List.of(Path.of("..", "scripts", "promtool.sh").toString()), LIMIT, log);
        if (found.exitCode() != 0) {
            ToolRun.missing(
                    "REQUIRE_PROMTOOL",
                    "this test needs promtool, which scripts/promtool.sh could not find or get:\n"
                            + Files.readString(log));
        }
        List<String> command = new ArrayList<>(List.of(found.lastLine()));
        command.addAll(List.of(arguments));
        return ToolRun.of(command, LIMIT, log);
    }
}
