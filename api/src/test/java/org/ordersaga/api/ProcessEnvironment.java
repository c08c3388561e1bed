package org.ordersaga.api;

import jakarta.inject.Named;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.ordersaga.saga.SagaService;
import org.ordersaga.temporal.TemporalProperties;

/**
 * The environment a deployment (compose, Kubernetes) gives the API or a worker, against what the process reads: every
 * variable a configuration key of it (none misspelled), and every datasource it uses complete.
 */
final class ProcessEnvironment {

    static final Map<String, Path> JARS =
            Map.of("worker", Path.of(System.getProperty("worker.jar")), "api", Path.of(System.getProperty("api.jar")));

    private ProcessEnvironment() {}

    /**
     * What is wrong with the variables {@code variables} of {@code process} (named so in the problems), which runs
     * {@code target} ({@code api} or {@code worker}); none when nothing is.
     */
    static List<String> problems(String process, String target, Map<String, String> variables) throws Exception {
        ConfigurationKeys keys = new ConfigurationKeys()
                .application(JARS.get(target))
                .library(TemporalProperties.class)
                .library("micronaut-jdbc-hikari")
                .library("micronaut-http-server");
        Set<String> dataSources = target.equals("api")
                ? apiDataSources()
                : Arrays.stream(variables.getOrDefault("SAGA_SERVICES", "").split(","))
                        .map(name -> SagaService.named(name).id())
                        .collect(Collectors.toCollection(TreeSet::new));
        List<String> problems = new ArrayList<>();
        variables
                .keySet()
                .forEach(variable -> keys.match(variable)
                        .ifPresentOrElse(
                                match -> {
                                    if (match.key().startsWith("datasources.") && !dataSources.contains(match.name())) {
                                        problems.add(process + ": " + variable + " configures datasource "
                                                + match.name() + ", which the " + target
                                                + " does not use here (it uses "
                                                + dataSources + ")");
                                    }
                                },
                                () -> problems.add(
                                        process + ": " + variable + " is no configuration key of the " + target)));
        for (String dataSource : dataSources) {
            for (String setting : List.of("URL", "USERNAME", "PASSWORD", "SCHEMA")) {
                String variable = "DATASOURCES_" + dataSource.toUpperCase() + "_" + setting;
                if (!variables.containsKey(variable)) {
                    problems.add(process + ": " + variable + " is missing");
                }
            }
        }
        return problems;
    }

    /** The datasources the API's beans and factories are injected with ({@code @Named("...") DataSource}). */
    static Set<String> apiDataSources() throws IOException, ClassNotFoundException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> classes = Files.list(Path.of("target", "classes", "org", "ordersaga", "api"))) {
            for (Path file : classes.filter(path -> path.toString().endsWith(".class")
                            && !path.getFileName().toString().startsWith("$"))
                    .toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName("org.ordersaga.api." + name);
                for (Executable injected : Stream.concat(
                                Arrays.stream(type.getDeclaredConstructors()), Arrays.stream(type.getDeclaredMethods()))
                        .toList()) {
                    for (Parameter parameter : injected.getParameters()) {
                        if (parameter.getType() == DataSource.class && parameter.isAnnotationPresent(Named.class)) {
                            names.add(parameter.getAnnotation(Named.class).value());
                        }
                    }
                }
            }
        }
        return names;
    }
}
