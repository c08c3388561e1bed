package org.ordersaga.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stack.json} in the stack's folder: each process of the running local stack with its role, pid and URLs, so
 * that scripts and people need not read the summary. Written once everything serves; gone with the folder's next run.
 *
 * @param processes the product's processes and the engines, in start order
 */
record StackFile(List<Process> processes) {

    static final String NAME = "stack.json";

    /**
     * One process.
     *
     * @param name as in the summary ({@code worker-orders}, {@code api}, {@code kafka})
     * @param role {@code worker}, {@code api}, {@code temporal}, {@code kafka}, {@code postgresql}, {@code traces}
     * @param pid its process id; null for the in-memory Temporal, which lives in the stack's own JVM
     * @param urls what it serves, by name ({@code metrics}, {@code health}, {@code webUi}, ...)
     * @param log its log file; null where it has none of its own
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Process(String name, String role, Long pid, Map<String, String> urls, String log) {}

    static StackFile of(
            LocalEngines engines,
            SagaProcesses product,
            List<ChildProcess> children,
            String apiUrl,
            Optional<LocalZipkin> zipkin) {
        List<Process> processes = new ArrayList<>();
        LocalPostgres postgres = engines.postgres();
        processes.add(new Process("postgresql", "postgresql", postgres.pid(), Map.of("jdbc", engines.jdbcUrl()), null));
        for (KafkaBroker broker : engines.kafka().brokers()) {
            processes.add(new Process(
                    "kafka",
                    "kafka",
                    broker.pid(),
                    Map.of("bootstrapServers", broker.bootstrapServers()),
                    broker.log().toString()));
        }
        LocalTemporal temporal = engines.temporal();
        Map<String, String> temporalUrls = new LinkedHashMap<>();
        temporalUrls.put("frontend", temporal.target());
        temporal.uiUrl().ifPresent(ui -> temporalUrls.put("webUi", ui));
        processes.add(new Process("temporal", "temporal", temporal.pid().orElse(null), temporalUrls, null));
        zipkin.ifPresent(traces -> processes.add(new Process(
                "zipkin",
                "traces",
                traces.process().pid(),
                Map.of("webUi", traces.uiUrl()),
                traces.process().log().toString())));
        for (ChildProcess child : children) {
            boolean api = child.name().equals("api");
            String url = api ? apiUrl : product.workerUrl(child.name().replaceFirst("^worker-", ""));
            processes.add(new Process(
                    child.name(),
                    api ? "api" : "worker",
                    child.pid(),
                    api
                            ? Map.of("api", url, "health", url + "/health", "openApi", url + "/swagger-ui/index.html")
                            : Map.of("metrics", url + "/prometheus", "health", url + "/health"),
                    child.log().toString()));
        }
        return new StackFile(processes);
    }

    /** Writes it into {@code directory}; returns the file. */
    Path write(Path directory) {
        Path file = directory.resolve(NAME);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
