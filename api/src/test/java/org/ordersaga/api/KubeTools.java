package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What scripts/kube-tools.sh puts together: kustomize renders docker/kubernetes; kubeconform validates the rendered
 * Kubernetes resources against Kubernetes' own schemas and CloudNativePG's CRDs, strictly (an unknown field is an
 * error); Node validates Strimzi's resources against Strimzi's CRD schemas (types, enums, required fields; like the
 * CRDs, they leave objects open). Without the tools (Go, Python and npm build
 * them) the tests that need them are skipped, loudly; with {@code REQUIRE_KUBE_TOOLS=1} (as in CI) they fail.
 */
final class KubeTools {

    /** Strimzi's kinds, which Node validates; kubeconform validates the rest. */
    static final Set<String> STRIMZI_KINDS = Set.of("Kafka", "KafkaNodePool", "KafkaTopic");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETUP_LIMIT = Duration.ofMinutes(15);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(2);

    /** How a tool's run ended: its exit code and what it printed on stdout. */
    record Run(int exitCode, String output) {}

    private final Path home;
    private final Path crdSchemas;
    private final Path work;
    private final Path log;

    private KubeTools(Path home, Path work, Path log) throws IOException {
        this.home = home;
        this.work = work;
        this.log = log;
        this.crdSchemas = Files.createDirectories(work.resolve("crd-schemas"));
        try (Stream<Path> crds = Files.list(home.resolve("schemas").resolve("crds"))) {
            for (Path crd :
                    crds.filter(file -> file.toString().endsWith(".yaml")).toList()) {
                writeSchemas(crd);
            }
        }
    }

    /** The tools, put together by {@code scripts/kube-tools.sh} if need be; {@code work} holds what the tests write. */
    static KubeTools find(Path scripts, Path work) throws Exception {
        Path log = Files.createDirectories(work).resolve("tools.log");
        Run found = run(List.of(scripts.resolve("kube-tools.sh").toString()), "", SETUP_LIMIT, log);
        if (found.exitCode() != 0) {
            String why = "this test needs kustomize, kubeconform and the schemas of scripts/kube-tools.sh, which could"
                    + " not put them together:\n" + Files.readString(log);
            if ("1".equals(System.getenv("REQUIRE_KUBE_TOOLS"))) {
                fail(why + "\nREQUIRE_KUBE_TOOLS=1 makes that a failure");
            }
            System.err.println("!!! SKIPPED: " + why);
            Assumptions.abort(why);
        }
        List<String> lines = found.output().strip().lines().toList();
        return new KubeTools(Path.of(lines.get(lines.size() - 1)), work, log);
    }

    /** {@code kustomize build} of a kustomization folder; fails the test if kustomize does. */
    String build(Path kustomization) throws Exception {
        Run built = run(
                List.of(home.resolve("bin/kustomize").toString(), "build", kustomization.toString()),
                "",
                RUN_LIMIT,
                log);
        if (built.exitCode() != 0) {
            fail("kustomize build " + kustomization + " failed; see " + log);
        }
        return built.output();
    }

    /** kubeconform on every resource but Strimzi's, strictly; its summary is in the JSON it prints. */
    Run kubeconform(String manifests) throws Exception {
        return run(
                List.of(
                        home.resolve("bin/kubeconform").toString(),
                        "-strict",
                        "-summary",
                        "-output",
                        "json",
                        "-skip",
                        String.join(",", STRIMZI_KINDS),
                        "-schema-location",
                        home.resolve("schemas/kubernetes") + "/{{ .ResourceKind }}{{ .KindSuffix }}.json",
                        "-schema-location",
                        crdSchemas + "/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json",
                        "-"),
                manifests,
                RUN_LIMIT,
                log);
    }

    /** Strimzi's resources against Strimzi's schemas. */
    Run strimzi(List<JsonNode> resources) throws Exception {
        Path input = work.resolve("strimzi-resources.json");
        JSON.writeValue(input.toFile(), resources);
        Path script = Path.of(
                KubeTools.class.getResource("/kubernetes/validate-strimzi.mjs").toURI());
        return run(
                List.of(
                        "node",
                        script.toString(),
                        home.resolve("strimzi/node_modules").toString(),
                        input.toString()),
                "",
                RUN_LIMIT,
                log);
    }

    /**
     * A CRD's schema per version, for kubeconform: its OpenAPI schema made strict the way kubeconform's own
     * {@code openapi2jsonschema} does it, every object that lists its properties closed to others unless it
     * preserves unknown fields (as the API server prunes them).
     */
    @SuppressWarnings("unchecked")
    private void writeSchemas(Path crd) throws IOException {
        Map<String, Object> definition = new Yaml().load(Files.readString(crd));
        Map<String, Object> spec = (Map<String, Object>) definition.get("spec");
        String group = (String) spec.get("group");
        String kind = ((String) ((Map<String, Object>) spec.get("names")).get("kind")).toLowerCase();
        for (Map<String, Object> version : (List<Map<String, Object>>) spec.get("versions")) {
            Map<String, Object> schema =
                    (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
            close(schema);
            Path file = Files.createDirectories(crdSchemas.resolve(group))
                    .resolve(kind + "_" + version.get("name") + ".json");
            JSON.writeValue(file.toFile(), schema);
        }
    }

    @SuppressWarnings("unchecked")
    private static void close(Object schema) {
        if (schema instanceof Map<?, ?> map) {
            Map<String, Object> node = (Map<String, Object>) map;
            if (node.containsKey("properties")
                    && !node.containsKey("additionalProperties")
                    && !Boolean.TRUE.equals(node.get("x-kubernetes-preserve-unknown-fields"))) {
                node.put("additionalProperties", false);
            }
            node.values().forEach(KubeTools::close);
        } else if (schema instanceof List<?> list) {
            list.forEach(KubeTools::close);
        }
    }

    /** Runs a tool; what it prints on stderr goes to {@code log}, which a failure names. */
    private static Run run(List<String> command, String input, Duration limit, Path log) throws Exception {
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        });
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not end within " + limit + "; see " + log);
        }
        return new Run(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    /** Every resource of a multi-document YAML text, as JSON trees. */
    static List<JsonNode> resources(String manifests) {
        List<JsonNode> resources = new ArrayList<>();
        for (Object document : new Yaml().loadAll(manifests)) {
            if (document != null) {
                resources.add(JSON.valueToTree(document));
            }
        }
        return resources;
    }
}
