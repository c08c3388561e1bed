package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.saga.OrderWorkflows;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/kubernetes, checked without a cluster: each overlay renders with kustomize and its resources are valid
 * against Kubernetes' schemas and the operators' (a misspelled field fails, but in Strimzi's open objects); every
 * variable of the product's Deployments is a configuration key of its process, passwords come from Secrets and none
 * is defined here; workers get longer to stop than they take to drain; and the engines are set up for what the code
 * uses, with the logins of docker/postgres/logins.sql and the topics of docker/compose.yaml.
 */
class KubernetesManifestsIT {

    private static final Path DOCKER = Path.of(System.getProperty("docker.dir"));
    private static final Path KUBERNETES = DOCKER.resolve("kubernetes");
    private static final List<String> OVERLAYS = List.of("staging", "production");
    private static final Pattern CREATE_ROLE = Pattern.compile("(?m)^CREATE ROLE (\\w+) ([A-Z ]+) PASSWORD");
    private static final Pattern CREATE_SCHEMA = Pattern.compile("(?m)^CREATE SCHEMA (\\w+) AUTHORIZATION (\\w+);");
    private static final Pattern GRANT = Pattern.compile("(?m)^(?:REVOKE|GRANT|ALTER DEFAULT PRIVILEGES) .*;$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static KubeTools tools;
    private static final Map<String, String> RENDERED = new TreeMap<>();

    /** The first run puts the tools together, which takes a minute or two. */
    @BeforeAll
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    static void render() throws Exception {
        tools = KubeTools.find(
                DOCKER.resolveSibling("scripts"),
                Path.of("target", "kubernetes").toAbsolutePath());
        for (String overlay : OVERLAYS) {
            RENDERED.put(overlay, tools.build(KUBERNETES.resolve("overlays").resolve(overlay)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyResourceOfTheOverlayIsValidAgainstItsSchema(String overlay) throws Exception {
        String manifests = RENDERED.get(overlay);
        List<JsonNode> resources = KubeTools.resources(manifests);
        List<JsonNode> strimzi = resources.stream()
                .filter(resource -> KubeTools.STRIMZI_KINDS.contains(kind(resource)))
                .toList();

        KubeTools.Run kubeconform = tools.kubeconform(manifests);
        JsonNode summary = JSON.readTree(kubeconform.output()).path("summary");
        assertEquals(0, kubeconform.exitCode(), kubeconform.output());
        assertEquals(resources.size() - strimzi.size(), summary.path("valid").asInt(), kubeconform.output());
        assertEquals(strimzi.size(), summary.path("skipped").asInt(), "only Strimzi's resources are left to Node");
        KubeTools.Run node = tools.strimzi(strimzi);
        assertEquals(0, node.exitCode(), node.output());
        assertEquals(
                strimzi.size(),
                node.output().lines().filter(line -> line.startsWith("valid ")).count());
        assertTrue(
                resources.stream().noneMatch(resource -> kind(resource).equals("Secret")),
                "Secrets are referenced, never defined in the manifests");
    }

    /** The validation is not vacuous: a wrong type, an unknown field, a wrong Strimzi field each fail. */
    @Test
    void aMistakeInAnyKindOfResourceIsFound() throws Exception {
        String manifests = RENDERED.get("production");
        Map<String, String> mistakes = Map.of(
                "terminationGracePeriodSeconds: 40", "terminationGracePeriodSeconds: forty",
                "  instances: 3", "  instances: 3\n  instancez: 3",
                "  maxUnavailable: 1", "  maxUnavailable: 1\n  maxUnavailabel: 1");
        for (Map.Entry<String, String> mistake : mistakes.entrySet()) {
            int resourcesChanged = manifests.split(Pattern.quote(mistake.getKey()), -1).length - 1;
            assertTrue(resourcesChanged > 0, mistake.getKey());
            KubeTools.Run kubeconform = tools.kubeconform(manifests.replace(mistake.getKey(), mistake.getValue()));
            assertEquals(
                    resourcesChanged,
                    JSON.readTree(kubeconform.output())
                            .path("summary")
                            .path("invalid")
                            .asInt(),
                    mistake.getValue() + ": " + kubeconform.output());
        }
        List<JsonNode> topics = KubeTools.resources(manifests.replace("partitions: 6", "partitions: six")).stream()
                .filter(resource -> kind(resource).equals("KafkaTopic"))
                .toList();
        KubeTools.Run node = tools.strimzi(topics);
        assertEquals(1, node.exitCode(), node.output());
        assertEquals(
                topics.size(),
                node.output()
                        .lines()
                        .filter(line -> line.startsWith("invalid "))
                        .count());
    }

    @Test
    void everyVariableOfTheProductsDeploymentsIsAConfigurationKeyOfItsProcess() throws Exception {
        for (String overlay : OVERLAYS) {
            List<JsonNode> resources = KubeTools.resources(RENDERED.get(overlay));
            List<String> problems = new ArrayList<>();
            Set<String> secrets = new TreeSet<>();
            for (JsonNode deployment : ofKind(resources, "Deployment")) {
                String name = overlay + "/" + name(deployment);
                JsonNode container = deployment
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("containers")
                        .get(0);
                String target = container.path("image").asText().contains("worker") ? "worker" : "api";
                Map<String, String> variables = new LinkedHashMap<>();
                for (JsonNode source : container.path("envFrom")) {
                    JsonNode configMap = named(
                            resources,
                            "ConfigMap",
                            source.path("configMapRef").path("name").asText());
                    configMap
                            .path("data")
                            .fields()
                            .forEachRemaining(entry -> variables.put(
                                    entry.getKey(), entry.getValue().asText()));
                }
                for (JsonNode variable : container.path("env")) {
                    String value = variable.path("value").asText(null);
                    JsonNode secret = variable.path("valueFrom").path("secretKeyRef");
                    if (!secret.isMissingNode()) {
                        secrets.add(secret.path("name").asText());
                        value = "(secret)";
                    }
                    JsonNode configMapKey = variable.path("valueFrom").path("configMapKeyRef");
                    if (!configMapKey.isMissingNode()) {
                        value = named(
                                        resources,
                                        "ConfigMap",
                                        configMapKey.path("name").asText())
                                .path("data")
                                .path(configMapKey.path("key").asText())
                                .asText(null);
                    }
                    if (value == null) {
                        problems.add(name + ": " + variable.path("name").asText() + " has no value");
                    }
                    if (variable.path("name").asText().endsWith("_PASSWORD") && secret.isMissingNode()) {
                        problems.add(name + ": " + variable.path("name").asText() + " is not read from a Secret");
                    }
                    variables.put(variable.path("name").asText(), value);
                }
                problems.addAll(ProcessEnvironment.problems(name, target, variables));
            }
            assertEquals(List.of(), problems);
            String readme = Files.readString(DOCKER.resolveSibling("README.md"));
            for (String secret : secrets) {
                assertTrue(readme.contains(secret), "the README says to create the Secret " + secret);
            }
        }
    }

    /** Each worker and the API: probes, resources, a disruption budget; each worker autoscaled and drained. */
    @Test
    void everyProcessIsProbedBudgetedAndStopsAfterItsDrain() throws Exception {
        List<JsonNode> resources = KubeTools.resources(RENDERED.get("production"));
        Duration drain = workerShutdownGrace();
        List<JsonNode> deployments = ofKind(resources, "Deployment");
        assertEquals(Set.of("api", "orders", "inventory", "payment", "shipping"), names(deployments));
        for (JsonNode deployment : deployments) {
            String name = name(deployment);
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertTrue(
                        container
                                .path(probe)
                                .path("httpGet")
                                .path("path")
                                .asText()
                                .startsWith("/health"),
                        name + " " + probe);
            }
            assertTrue(container.path("resources").path("requests").has("cpu"), name + " requests CPU");
            assertTrue(container.path("resources").path("limits").has("memory"), name + " limits its memory");
            assertEquals(
                    deployment.path("spec").path("selector").path("matchLabels"),
                    named(resources, "PodDisruptionBudget", name)
                            .path("spec")
                            .path("selector")
                            .path("matchLabels"),
                    name + " has a disruption budget");
            if (name.equals("api")) {
                assertEquals(
                        "api",
                        named(resources, "Service", "api")
                                .path("metadata")
                                .path("name")
                                .asText());
                continue;
            }
            assertTrue(
                    pod.path("terminationGracePeriodSeconds").asLong()
                            >= drain.plusSeconds(5).toSeconds(),
                    name + " is given longer to stop than saga.shutdown-grace (" + drain + ")");
            JsonNode autoscaler =
                    named(resources, "HorizontalPodAutoscaler", name).path("spec");
            assertEquals(name, autoscaler.path("scaleTargetRef").path("name").asText());
            assertTrue(autoscaler.path("minReplicas").asInt() >= 2, name + " keeps two replicas at least");
        }
    }

    @Test
    void theEnginesAreSetUpForWhatTheCodeUses() throws Exception {
        List<JsonNode> resources = KubeTools.resources(RENDERED.get("production"));
        JsonNode config = named(resources, "ConfigMap", "order-saga").path("data");

        JsonNode kafka = ofKind(resources, "Kafka").get(0);
        assertEquals(
                name(kafka) + "-kafka-bootstrap:9092",
                config.path("SAGA_KAFKA_BOOTSTRAP_SERVERS").asText(),
                "the Strimzi cluster's bootstrap service");
        assertEquals(
                3,
                ofKind(resources, "KafkaNodePool")
                        .get(0)
                        .path("spec")
                        .path("replicas")
                        .asInt());
        assertEquals(
                2,
                kafka.path("spec")
                        .path("kafka")
                        .path("config")
                        .path("min.insync.replicas")
                        .asInt());
        List<String> topics = new ArrayList<>(EventTopics.all(""));
        EventTopics.all("").forEach(topic -> topics.add(EventTopics.deadLetter(topic)));
        List<JsonNode> kafkaTopics = ofKind(resources, "KafkaTopic");
        assertEquals(Set.copyOf(topics), names(kafkaTopics));
        for (JsonNode topic : kafkaTopics) {
            assertEquals(
                    name(kafka),
                    topic.path("metadata")
                            .path("labels")
                            .path("strimzi.io/cluster")
                            .asText());
            assertEquals(3, topic.path("spec").path("replicas").asInt(), name(topic));
            assertEquals(
                    2,
                    topic.path("spec")
                            .path("config")
                            .path("min.insync.replicas")
                            .asInt(),
                    name(topic));
        }

        String logins = Files.readString(DOCKER.resolve("postgres").resolve("logins.sql"));
        JsonNode database = ofKind(resources, "Cluster").get(0);
        Map<String, String> roles = new TreeMap<>();
        Matcher role = CREATE_ROLE.matcher(logins);
        while (role.find()) {
            roles.put(role.group(1), role.group(2).trim());
        }
        Map<String, String> managed = new TreeMap<>();
        for (JsonNode login : database.path("spec").path("managed").path("roles")) {
            managed.put(
                    login.path("name").asText(),
                    (login.path("login").asBoolean() ? "LOGIN" : "")
                            + (login.path("createdb").asBoolean() ? " CREATEDB" : ""));
            assertEquals(
                    name(database) + "-" + login.path("name").asText(),
                    login.path("passwordSecret").path("name").asText());
        }
        assertEquals(roles, managed, "the logins of docker/postgres/logins.sql");
        assertEquals(
                "jdbc:postgresql://" + name(database) + "-rw:5432/saga",
                named(resources, "ConfigMap", "order-saga-database")
                        .path("data")
                        .path("url")
                        .asText());
        Map<String, String> schemas = new TreeMap<>();
        Matcher schema = CREATE_SCHEMA.matcher(logins);
        while (schema.find()) {
            schemas.put(schema.group(1), schema.group(2));
        }
        Map<String, String> declared = new TreeMap<>();
        named(resources, "Database", "saga")
                .path("spec")
                .path("schemas")
                .forEach(declaredSchema -> declared.put(
                        declaredSchema.path("name").asText(),
                        declaredSchema.path("owner").asText()));
        assertEquals(schemas, declared, "the schemas of docker/postgres/logins.sql, each owned by its login");
        assertEquals(
                statements(GRANT, logins),
                statements(
                        GRANT,
                        named(resources, "ConfigMap", "saga-db-grants")
                                .path("data")
                                .path("grants.sql")
                                .asText()),
                "the grants of docker/postgres/logins.sql");

        assertEquals(
                OrderWorkflows.SEARCH_ATTRIBUTES.stream()
                        .map(key -> key.getName())
                        .toList(),
                List.of(env(named(resources, "Job", "temporal-search-attributes"), "SEARCH_ATTRIBUTES")
                        .split(" ")));
        assertTemporalValuesMatch(
                resources, name(database), config.path("SAGA_TEMPORAL_TARGET").asText());
    }

    /** docker/kubernetes/temporal/values.yaml, for Temporal's chart: its databases, login, namespace and versions. */
    private static void assertTemporalValuesMatch(List<JsonNode> resources, String database, String target)
            throws Exception {
        JsonNode values = JSON.valueToTree(
                new Yaml().load(Files.readString(KUBERNETES.resolve("temporal").resolve("values.yaml"))));
        assertEquals("temporal-frontend:7233", target, "the frontend service of the Helm release named temporal");
        JsonNode persistence = values.path("server").path("config").path("persistence");
        Set<String> temporalDatabases = new TreeSet<>();
        for (JsonNode store : persistence.path("datastores")) {
            JsonNode sql = store.path("sql");
            assertEquals(database + "-rw:5432", sql.path("connectAddr").asText());
            assertEquals("temporal", sql.path("user").asText());
            assertEquals(database + "-temporal", sql.path("existingSecret").asText());
            temporalDatabases.add(sql.path("databaseName").asText());
        }
        assertEquals(
                temporalDatabases,
                ofKind(resources, "Database").stream()
                        .filter(declared ->
                                declared.path("spec").path("owner").asText().equals("temporal"))
                        .map(declared -> declared.path("spec").path("name").asText())
                        .collect(Collectors.toCollection(TreeSet::new)),
                "the operator creates Temporal's databases, owned by its login");
        assertTrue(persistence.path("numHistoryShards").asInt() > 0);
        ComposeFile compose = ComposeFile.read(DOCKER, Map.of());
        assertEquals(
                "temporalio/server:"
                        + values.path("server").path("image").path("tag").asText(),
                compose.image("temporal"));
        assertEquals(
                "temporalio/ui:" + values.path("web").path("image").path("tag").asText(), compose.image("temporal-ui"));
        assertEquals(
                "temporalio/admin-tools:"
                        + values.path("admintools").path("image").path("tag").asText(),
                compose.image("temporal-namespace"));
        JsonNode namespace = values.path("server")
                .path("config")
                .path("namespaces")
                .path("namespace")
                .get(0);
        assertEquals(
                compose.environment("temporal-namespace").get("NAMESPACE"),
                namespace.path("name").asText());
    }

    private static Duration workerShutdownGrace() throws Exception {
        try (var jar = new JarFile(ProcessEnvironment.JARS.get("worker").toFile());
                var yaml = jar.getInputStream(jar.getJarEntry("application.yml"))) {
            Map<String, Object> application = new Yaml().load(yaml);
            @SuppressWarnings("unchecked")
            Map<String, Object> saga = (Map<String, Object>) application.get("saga");
            return Duration.parse("PT" + saga.get("shutdown-grace").toString().toUpperCase());
        }
    }

    private static List<String> statements(Pattern pattern, String sql) {
        List<String> found = new ArrayList<>();
        Matcher statement = pattern.matcher(sql);
        while (statement.find()) {
            found.add(statement.group());
        }
        return found;
    }

    private static String env(JsonNode workload, String variable) {
        for (JsonNode value : workload.path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("env")) {
            if (value.path("name").asText().equals(variable)) {
                return value.path("value").asText();
            }
        }
        throw new AssertionError(name(workload) + " has no " + variable);
    }

    private static String kind(JsonNode resource) {
        return resource.path("kind").asText();
    }

    private static String name(JsonNode resource) {
        return resource.path("metadata").path("name").asText();
    }

    private static List<JsonNode> ofKind(List<JsonNode> resources, String kind) {
        return resources.stream()
                .filter(resource -> kind(resource).equals(kind))
                .toList();
    }

    private static Set<String> names(List<JsonNode> resources) {
        return resources.stream().map(KubernetesManifestsIT::name).collect(Collectors.toSet());
    }

    private static JsonNode named(List<JsonNode> resources, String kind, String name) {
        return ofKind(resources, kind).stream()
                .filter(resource -> name(resource).equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the manifests"));
    }
}
