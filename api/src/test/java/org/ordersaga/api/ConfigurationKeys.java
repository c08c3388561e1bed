package org.ordersaga.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration keys a process binds, as Micronaut's annotation processor lists them for every
 * {@code @ConfigurationProperties} class ({@code META-INF/spring-configuration-metadata.json}), and how an
 * environment variable reaches one: {@code SAGA_KAFKA_BOOTSTRAP_SERVERS} sets {@code saga.kafka.bootstrap-servers}.
 */
final class ConfigurationKeys {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> keys = new ArrayList<>();

    /** The keys of the application packaged in {@code jar} (its own settings classes). */
    ConfigurationKeys application(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile());
                InputStream metadata = file.getInputStream(file.getJarEntry(METADATA))) {
            read(metadata);
        }
        return this;
    }

    /** The keys of the module holding {@code settings}, a class of it: the settings the API and the worker share. */
    ConfigurationKeys library(Class<?> settings) throws IOException {
        URL location = settings.getProtectionDomain().getCodeSource().getLocation();
        URL file = location.getPath().endsWith(".jar")
                ? new URL("jar:" + location + "!/" + METADATA)
                : new URL(location, METADATA);
        try (InputStream metadata = file.openStream()) {
            read(metadata);
        }
        return this;
    }

    /** The keys of a library on this classpath, named by its artifact (e.g. {@code micronaut-jdbc-hikari}). */
    ConfigurationKeys library(String artifactId) throws IOException {
        List<URL> found = Collections.list(getClass().getClassLoader().getResources(METADATA)).stream()
                .filter(url -> url.getPath().contains("/" + artifactId + "-"))
                .toList();
        if (found.isEmpty()) {
            throw new IllegalStateException("no configuration metadata of " + artifactId + " on the classpath");
        }
        for (URL url : found) {
            try (InputStream metadata = url.openStream()) {
                read(metadata);
            }
        }
        return this;
    }

    /**
     * The key {@code variable} sets, if any, with the name in place of its {@code *} (a datasource's, for instance).
     */
    Optional<Match> match(String variable) {
        for (String key : keys) {
            Matcher matcher = asVariable(key).matcher(variable);
            if (matcher.matches()) {
                return Optional.of(new Match(
                        key, matcher.groupCount() > 0 ? matcher.group(1).toLowerCase() : null));
            }
        }
        return Optional.empty();
    }

    record Match(String key, String name) {}

    private static Pattern asVariable(String key) {
        StringBuilder pattern = new StringBuilder();
        String[] parts = key.toUpperCase().replaceAll("[.-]", "_").split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            pattern.append(i > 0 ? "([A-Z0-9]+)" : "").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(pattern.toString());
    }

    private void read(InputStream metadata) throws IOException {
        for (JsonNode property : JSON.readTree(metadata).path("properties")) {
            keys.add(property.path("name").asText());
        }
    }
}
