package org.ordersaga.chaos;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.ordersaga.saga.SagaService;

/**
 * What to run: {@code --orders=10000} arriving at {@code --rate=4} a second, with {@code --fault-rate=0.05} of every
 * service's activity attempts failing on purpose; the report in {@code --out=target/chaos}; the packaged jars
 * ({@code --worker-jar= --api-jar=}).
 */
record ChaosOptions(int orders, double rate, double faultRate, Path out, Path workerJar, Path apiJar) {

    static final ChaosOptions DEFAULTS = new ChaosOptions(
            10_000,
            4,
            0.05,
            Path.of("target", "chaos"),
            Path.of("worker", "target", "worker.jar"),
            Path.of("api", "target", "api.jar"));

    private static final Set<String> NAMES = Set.of("orders", "rate", "fault-rate", "out", "worker-jar", "api-jar");

    ChaosOptions {
        if (orders < 1) {
            throw new IllegalArgumentException("--orders must be at least 1, was " + orders);
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rate must be above 0 orders a second, was " + rate);
        }
        if (!(faultRate >= 0 && faultRate < 1)) {
            throw new IllegalArgumentException("--fault-rate must be from 0 to below 1, was " + faultRate);
        }
    }

    static ChaosOptions parse(String... arguments) {
        Map<String, String> given = new HashMap<>();
        for (String argument : arguments) {
            String[] option = argument.split("=", 2);
            if (option.length != 2 || !option[0].startsWith("--") || !NAMES.contains(option[0].substring(2))) {
                throw new IllegalArgumentException("unknown argument '" + argument + "'; the options are --"
                        + String.join("=, --", NAMES.stream().sorted().toList()) + "=");
            }
            given.put(option[0].substring(2), option[1]);
        }
        return new ChaosOptions(
                number(given, "orders", DEFAULTS.orders()).intValue(),
                number(given, "rate", DEFAULTS.rate()).doubleValue(),
                number(given, "fault-rate", DEFAULTS.faultRate()).doubleValue(),
                Path.of(given.getOrDefault("out", DEFAULTS.out().toString())),
                Path.of(given.getOrDefault("worker-jar", DEFAULTS.workerJar().toString())),
                Path.of(given.getOrDefault("api-jar", DEFAULTS.apiJar().toString())));
    }

    /** Faults injected into every service's activities, as the workers read them: half before, half after commit. */
    Map<String, String> workerSettings() {
        Map<String, String> settings = new HashMap<>();
        for (SagaService service : SagaService.values()) {
            boolean afterCommit = service == SagaService.INVENTORY || service == SagaService.PAYMENT;
            settings.put("SAGA_FAULTS_" + service.name() + "_MODE", afterCommit ? "AFTER_COMMIT" : "BEFORE");
            settings.put("SAGA_FAULTS_" + service.name() + "_RATE", Double.toString(faultRate));
        }
        return settings;
    }

    private static Number number(Map<String, String> given, String name, Number otherwise) {
        String value = given.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return otherwise instanceof Integer ? Integer.valueOf(value) : Double.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number, not '" + value + "'");
        }
    }
}
