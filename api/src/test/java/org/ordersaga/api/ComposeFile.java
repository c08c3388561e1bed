package org.ordersaga.api;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker/compose.yaml} read the way Compose reads it: YAML anchors and merge keys resolved, {@code ${NAME}}
 * taken from the shell's environment or else the environment file beside it ({@code docker/.env}), with
 * {@code ${NAME:-default}} and {@code ${NAME:?error}}; any other variable neither defines is an error.
 */
final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?:(:-|:\\?)([^}]*))?}");

    private final Map<String, Map<String, Object>> services;
    private final Properties variables;

    private ComposeFile(Map<String, Map<String, Object>> services, Properties variables) {
        this.services = services;
        this.variables = variables;
    }

    @SuppressWarnings("unchecked")
    static ComposeFile read(Path directory, Map<String, String> shell) throws IOException {
        Properties variables = new Properties();
        try (Reader env = Files.newBufferedReader(directory.resolve(".env"))) {
            variables.load(env);
        }
        variables.putAll(shell);
        try (Reader compose = Files.newBufferedReader(directory.resolve("compose.yaml"))) {
            Map<String, Object> document = new Yaml().load(compose);
            return new ComposeFile((Map<String, Map<String, Object>>) document.get("services"), variables);
        }
    }

    Set<String> services() {
        return services.keySet();
    }

    /** The service's environment with every variable substituted. */
    Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object declared = services.get(service).get("environment");
        if (declared instanceof Map<?, ?> map) {
            map.forEach((name, value) -> environment.put(name.toString(), interpolate(String.valueOf(value))));
        }
        return environment;
    }

    /** The Dockerfile stage the service's image is built from ({@code api}, {@code worker}), if it is built here. */
    Optional<String> buildTarget(String service) {
        return Optional.ofNullable((Map<?, ?>) services.get(service).get("build"))
                .map(build -> String.valueOf(build.get("target")));
    }

    String image(String service) {
        return String.valueOf(services.get(service).get("image"));
    }

    int replicas(String service) {
        return Optional.ofNullable((Map<?, ?>) services.get(service).get("deploy"))
                .map(deploy -> ((Number) deploy.get("replicas")).intValue())
                .orElse(1);
    }

    /** The services this one waits for, with the condition of each. */
    Map<String, String> dependsOn(String service) {
        Map<String, String> conditions = new LinkedHashMap<>();
        Object declared = services.get(service).get("depends_on");
        if (declared instanceof Map<?, ?> map) {
            map.forEach((name, condition) ->
                    conditions.put(name.toString(), String.valueOf(((Map<?, ?>) condition).get("condition"))));
        } else if (declared instanceof List<?> list) {
            list.forEach(name -> conditions.put(name.toString(), "service_started"));
        }
        return conditions;
    }

    boolean hasHealthCheck(String service) {
        return services.get(service).containsKey("healthcheck");
    }

    String variable(String name) {
        String value = variables.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("${" + name + "} is used in compose.yaml but docker/.env does not set it");
        }
        return value;
    }

    private String interpolate(String text) {
        Matcher variable = VARIABLE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1);
            String value = variables.getProperty(name);
            if (value == null || value.isEmpty()) {
                if (":-".equals(variable.group(2))) {
                    value = variable.group(3);
                } else if (":?".equals(variable.group(2))) {
                    throw new IllegalStateException(
                            "required variable " + name + " is missing a value: " + variable.group(3));
                } else {
                    value = variable(name);
                }
            }
            variable.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        return variable.appendTail(resolved).toString();
    }
}
