package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.Await;
import org.ordersaga.local.ChildProcess;
import org.ordersaga.local.DataSourceSettings;
import org.ordersaga.local.KafkaCluster;
import org.ordersaga.local.LocalIdentityProvider;
import org.ordersaga.local.LocalPostgres;
import org.ordersaga.local.LocalStack;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.OrdersClient;
import org.ordersaga.local.PayloadKey;
import org.ordersaga.local.Ports;
import org.ordersaga.local.SagaProcesses;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.OrderWorkflows;

/**
 * docker/compose.yaml, checked without a Docker engine: every variable of the product's containers is a
 * configuration key its process reads (none misspelled, none missing), the infrastructure jobs create the topics
 * (replicated on the three brokers) and search attributes the code uses, and the product's processes, started from the same jars with exactly the compose
 * environment (host names pointed at local servers), run sagas on a database set up by the compose init script, with
 * each service's own password-checked login.
 */
class DockerComposeIT {

    private static final Path DOCKER = Path.of(System.getProperty("docker.dir"));
    private static final Map<String, Path> JARS = ProcessEnvironment.JARS;
    private static final Pattern PSQL_VARIABLE = Pattern.compile("-v (\\w+)=\"\\$(\\w+)\"");
    private static final Pattern IMAGE_JVM_OPTIONS = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"$");
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final PayloadKey PAYLOAD_KEY = PayloadKey.generate();
    private static final List<String> KAFKA_BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final String KAFKA_BOOTSTRAP = "kafka-1:9092,kafka-2:9092,kafka-3:9092";

    private final List<ChildProcess> processes = new ArrayList<>();
    private final List<AutoCloseable> infrastructure = new ArrayList<>();
    private Path directory;
    private Path logs;
    private String databaseUrl;
    private Map<String, String> clusterEnvironment;
    private LocalIdentityProvider identity;

    @AfterEach
    void stopEverything() throws Exception {
        if (clusterEnvironment != null) {
            clusterScript("stop");
        }
        processes.forEach(ChildProcess::terminate);
        processes.forEach(ChildProcess::awaitExit);
        if (identity != null) {
            identity.close();
        }
        for (int i = infrastructure.size() - 1; i >= 0; i--) {
            infrastructure.get(i).close();
        }
    }

    @Test
    void everyVariableOfTheProductsContainersIsAConfigurationKeyOfItsProcess() throws Exception {
        assertEquals(
                ProcessEnvironment.apiDataSources(),
                new TreeSet<>(DataSourceSettings.API.keySet()),
                "the local stack and the tests give the API exactly the datasources it uses");
        Map<String, String> shell = shell(Map.of(
                "SAGA_SECURITY_ISSUER",
                "https://login.example.com",
                "SAGA_SECURITY_JWKS_URL",
                "https://login.example.com/jwks"));
        for (String required : shell.keySet()) {
            Map<String, String> without = new HashMap<>(shell);
            without.remove(required);
            IllegalStateException unset = assertThrows(
                    IllegalStateException.class,
                    () -> ComposeFile.read(DOCKER, without).environment("api"));
            assertTrue(unset.getMessage().contains(required), unset.getMessage());
        }
        ComposeFile compose = ComposeFile.read(DOCKER, shell);
        List<String> problems = new ArrayList<>();
        for (String service : productServices(compose)) {
            String target = compose.buildTarget(service).orElseThrow();
            Map<String, String> environment = compose.environment(service);
            problems.addAll(ProcessEnvironment.problems(service, target, environment));
            checkAddress(compose, service, environment, "SAGA_TEMPORAL_TARGET", "temporal:7233", problems);
            checkAddress(compose, service, environment, "SAGA_KAFKA_BOOTSTRAP_SERVERS", KAFKA_BOOTSTRAP, problems);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theLocalStackAndClusterScriptRunTheJvmsAsTheImagesDo() throws Exception {
        assertTrue(
                imageJvmOptions().contains(SagaProcesses.JVM_OPTIONS),
                "docker/Dockerfile's JAVA_TOOL_OPTIONS hold " + SagaProcesses.JVM_OPTIONS);
        assertTrue(
                Files.readString(DOCKER.resolveSibling("scripts").resolve("cluster.sh"))
                        .contains("JAVA_TOOL_OPTIONS=${JAVA_TOOL_OPTIONS:-" + SagaProcesses.JVM_OPTIONS + "}"),
                "scripts/cluster.sh starts the processes with " + SagaProcesses.JVM_OPTIONS);
    }

    @Test
    void theInfrastructureIsSetUpForWhatTheCodeUsesAndStartsFirst() throws Exception {
        ComposeFile compose = ComposeFile.read(DOCKER, Map.of());
        List<String> topics = new ArrayList<>(EventTopics.all(""));
        EventTopics.all("").forEach(topic -> topics.add(EventTopics.deadLetter(topic)));
        assertEquals(
                Set.copyOf(topics),
                Set.of(compose.environment("kafka-topics").get("TOPICS").split("\\s+")));
        assertEquals(
                OrderWorkflows.SEARCH_ATTRIBUTES.stream()
                        .map(key -> key.getName())
                        .toList(),
                List.of(compose.environment("temporal-namespace")
                        .get("SEARCH_ATTRIBUTES")
                        .split(" ")));
        for (String broker : KAFKA_BROKERS) {
            assertEquals(
                    "apache/kafka:" + kafkaClientVersion(),
                    compose.image(broker),
                    "the broker the tests run is the one compose runs");
            Map<String, String> node = compose.environment(broker);
            assertEquals("3", node.get("KAFKA_DEFAULT_REPLICATION_FACTOR"), broker);
            assertEquals("2", node.get("KAFKA_MIN_INSYNC_REPLICAS"), broker);
            assertEquals("3", node.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"), broker);
        }
        Map<String, String> topicSetup = compose.environment("kafka-topics");
        assertEquals(KAFKA_BOOTSTRAP, topicSetup.get("BOOTSTRAP_SERVERS"));
        assertEquals(
                Integer.toString(KAFKA_BROKERS.size()),
                topicSetup.get("REPLICATION_FACTOR"),
                "every topic on every broker");
        assertEquals("2", topicSetup.get("MIN_IN_SYNC_REPLICAS"), "a write survives the loss of one broker");

        for (String service : productServices(compose)) {
            assertEquals(
                    Map.of(
                            "postgres",
                            "service_healthy",
                            "kafka-topics",
                            "service_completed_successfully",
                            "temporal-namespace",
                            "service_completed_successfully"),
                    compose.dependsOn(service),
                    service);
        }
        assertEquals(Map.of("temporal", "service_healthy"), compose.dependsOn("temporal-namespace"));
        assertEquals(Map.of("temporal-database", "service_completed_successfully"), compose.dependsOn("temporal"));
        assertEquals(Map.of("postgres", "service_healthy"), compose.dependsOn("temporal-database"));
        Map<String, String> brokersHealthy = new HashMap<>();
        KAFKA_BROKERS.forEach(broker -> brokersHealthy.put(broker, "service_healthy"));
        assertEquals(brokersHealthy, compose.dependsOn("kafka-topics"));
        List<String> checked = new ArrayList<>(List.of("postgres", "temporal", "api"));
        checked.addAll(KAFKA_BROKERS);
        for (String service : checked) {
            assertTrue(compose.hasHealthCheck(service), service + " has a health check");
        }
        assertEquals(2, compose.replicas("payment"));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theProductsProcessesRunSagasWithTheComposeEnvironmentAndDatabaseLogins() throws Exception {
        ComposeFile compose = ComposeFile.read(
                DOCKER, shell(startTheIdentityProvider("compose").apiEnvironment()));
        Map<String, String> hosts = startTheInfrastructure(compose);
        int apiPort = Ports.free();
        ChildProcess api = null;
        for (String service : productServices(compose)) {
            Map<String, String> environment = new HashMap<>();
            compose.environment(service).forEach((name, value) -> environment.put(name, pointAt(hosts, value)));
            String target = compose.buildTarget(service).orElseThrow();
            for (int replica = 1; replica <= compose.replicas(service); replica++) {
                String name = service + "-" + replica;
                // a container listens on every interface of its own network; here, each on loopback and a port of
                // its own
                Map<String, String> replicaEnvironment = new HashMap<>(environment);
                replicaEnvironment.put("MICRONAUT_SERVER_HOST", "127.0.0.1");
                // the image's JVM options; its heap follows a container's memory limit, here -Xmx overrides it
                replicaEnvironment.put("JAVA_TOOL_OPTIONS", imageJvmOptions());
                replicaEnvironment.put(
                        "MICRONAUT_SERVER_PORT", Integer.toString(target.equals("api") ? apiPort : Ports.free()));
                ChildProcess process = ChildProcess.java(
                        name,
                        JARS.get(target),
                        "256m",
                        List.of(),
                        replicaEnvironment,
                        logs.resolve(name + ".log"),
                        target.equals("api") ? Duration.ofSeconds(15) : SagaProcesses.WORKER_GRACE);
                processes.add(process);
                if (target.equals("api")) {
                    api = process;
                }
            }
        }
        String apiUrl = "http://127.0.0.1:" + apiPort;
        SagaProcesses.awaitHealthy(api, apiUrl);
        assertSagasRunAndEachLoginKeepsToItsSchema(compose, apiUrl);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theSameTopologyRunsWithoutDockerFromTheClusterScript() throws Exception {
        Map<String, String> environment =
                new HashMap<>(startTheIdentityProvider("cluster").apiEnvironment());
        // the cluster script makes its own payload key
        ComposeFile compose = ComposeFile.read(DOCKER, shell(environment));
        Map<String, String> hosts = startTheInfrastructure(compose);
        for (String login : List.of("ORDERS", "INVENTORY", "PAYMENT", "SHIPPING", "API")) {
            environment.put(login + "_DB_PASSWORD", compose.variable(login + "_DB_PASSWORD"));
        }
        int apiPort = Ports.free();
        environment.putAll(Map.of(
                "SAGA_TEMPORAL_TARGET",
                hosts.get("temporal:7233"),
                "SAGA_KAFKA_BOOTSTRAP_SERVERS",
                pointAt(hosts, KAFKA_BOOTSTRAP),
                "SAGA_DB_URL",
                "jdbc:postgresql://" + hosts.get("postgres:5432") + "/saga",
                "SAGA_DEMO_DATA",
                "true",
                "API_PORT",
                Integer.toString(apiPort),
                "WORKER_PORT_BASE",
                "0",
                "CLUSTER_DIR",
                directory.resolve("cluster").toString(),
                "JAVA_HOME",
                System.getProperty("java.home")));
        clusterEnvironment = environment;

        String started = clusterScript("start");
        assertEquals(
                6, started.lines().filter(line -> line.startsWith("started ")).count(), started);
        String apiUrl = "http://127.0.0.1:" + apiPort;
        Await.until("the API healthy", Duration.ofMinutes(3), () -> {
            try {
                return new OrdersClient(apiUrl)
                        .get("/health")
                        .path("status")
                        .asText()
                        .equals("UP");
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        assertSagasRunAndEachLoginKeepsToItsSchema(compose, apiUrl);
        assertTrue(
                Files.readString(directory.resolve("cluster/payload-keys.env"))
                        .contains("SAGA_PAYLOAD_ENCRYPTION_KEY_ID=cluster-"),
                "the cluster's payload key, kept for its next start");

        String status = clusterScript("status");
        List<Long> pids = Pattern.compile("running \\(pid (\\d+)\\)")
                .matcher(status)
                .results()
                .map(pid -> Long.parseLong(pid.group(1)))
                .toList();
        assertEquals(
                List.of("api", "inventory", "orders", "payment-1", "payment-2", "shipping"),
                status.lines().map(line -> line.split(" ")[0]).sorted().toList(),
                status);
        assertEquals(6, pids.size(), status);
        clusterScript("stop");
        clusterEnvironment = null;
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true), "pid " + pid);
        }
    }

    /** What compose takes from the shell: the identity provider's variables, and the payload keys. */
    private static Map<String, String> shell(Map<String, String> identityProvider) {
        Map<String, String> shell = new HashMap<>(identityProvider);
        shell.putAll(PAYLOAD_KEY.environment());
        return shell;
    }

    /** The identity provider the API's issuer and JWKS variables name, in a fresh directory for the test. */
    private LocalIdentityProvider startTheIdentityProvider(String name) {
        directory = LocalStack.freshDirectory(
                Path.of("target", "docker-compose-it", name).toAbsolutePath());
        identity = LocalIdentityProvider.start(directory.resolve("identity"));
        return identity;
    }

    /**
     * PostgreSQL set up by the compose init script (passwords required), Kafka and Temporal, in the identity
     * provider's directory; returns where each compose host name points here.
     */
    private Map<String, String> startTheInfrastructure(ComposeFile compose) throws Exception {
        logs = Files.createDirectories(directory.resolve("logs"));
        Map<String, String> database = compose.environment("postgres");
        LocalPostgres postgres = LocalPostgres.start(0, directory.resolve("postgres"));
        infrastructure.add(postgres);
        postgres.createDatabase(database.get("POSTGRES_DB"));
        String superuser = postgres.jdbcUrl(database.get("POSTGRES_DB"));
        requirePasswordsExceptForTheSuperuser(superuser);
        runTheInitScript(superuser, database);
        databaseUrl = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + database.get("POSTGRES_DB");

        KafkaCluster kafka = KafkaCluster.format(directory.resolve("kafka"), KAFKA_BROKERS.size(), 0);
        infrastructure.add(kafka::stop);
        kafka.start();
        LocalTemporal temporal = LocalTemporal.testServer(Ports.free());
        infrastructure.add(temporal);
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("postgres:5432", "127.0.0.1:" + postgres.port());
        hosts.put("temporal:7233", temporal.target());
        for (int node = 0; node < KAFKA_BROKERS.size(); node++) {
            hosts.put(
                    KAFKA_BROKERS.get(node) + ":9092", kafka.brokers().get(node).bootstrapServers());
        }
        return hosts;
    }

    /**
     * An order that completes and one that is declined end as they should; the API reads stock and balances with its
     * read-only login; no service's login can touch another's schema, and a wrong password is refused.
     */
    private void assertSagasRunAndEachLoginKeepsToItsSchema(ComposeFile compose, String apiUrl) {
        OrdersClient orders = new OrdersClient(apiUrl, identity.issuer().token("ops", true, Duration.ofHours(1)));
        String completes = orders.place("cust-ok", "sku-100", 1, "GB");
        String declined = orders.place("cust-poor", "sku-200", 1, "GB");
        Await.until(
                "both sagas final",
                LIMIT,
                () -> Stream.of(completes, declined)
                        .allMatch(id -> OrderStatus.valueOf(orders.get("/orders/" + id)
                                        .path("status")
                                        .asText())
                                .isTerminal()));
        assertEquals(
                "COMPLETED", orders.get("/orders/" + completes).path("status").asText());
        assertEquals(
                "COMPENSATED", orders.get("/orders/" + declined).path("status").asText());
        assertTrue(orders.get("/inventory/sku-100").path("available").isNumber(), "the API reads stock");
        assertTrue(orders.get("/customers/cust-ok").path("balance").isNumber(), "the API reads balances");

        Map<String, String> payment = compose.environment("payment");
        Map<String, String> api = compose.environment("api");
        assertRefused(
                payment.get("DATASOURCES_PAYMENT_USERNAME"),
                payment.get("DATASOURCES_PAYMENT_PASSWORD"),
                "SELECT count(*) FROM inventory.catalog",
                "permission denied");
        assertRefused(
                api.get("DATASOURCES_PAYMENT_USERNAME"),
                api.get("DATASOURCES_PAYMENT_PASSWORD"),
                "UPDATE payment.accounts SET balance = 0",
                "permission denied");
        assertRefused(
                payment.get("DATASOURCES_PAYMENT_USERNAME"),
                "not-the-password",
                "SELECT 1",
                "password authentication failed");
    }

    private String clusterScript(String command) throws Exception {
        ProcessBuilder script = new ProcessBuilder(
                        DOCKER.resolveSibling("scripts").resolve("cluster.sh").toString(), command)
                .redirectErrorStream(true);
        script.environment().putAll(clusterEnvironment);
        Process process = script.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "cluster.sh " + command + " ends");
        assertEquals(0, process.exitValue(), "cluster.sh " + command + ":\n" + output);
        return output;
    }

    private static String kafkaClientVersion() throws Exception {
        Properties version = new Properties();
        try (InputStream file = DockerComposeIT.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            version.load(file);
        }
        return version.getProperty("version");
    }

    /** The JVM options the product's images set: {@code ENV JAVA_TOOL_OPTIONS} in docker/Dockerfile. */
    private static String imageJvmOptions() throws Exception {
        Matcher options = IMAGE_JVM_OPTIONS.matcher(Files.readString(DOCKER.resolve("Dockerfile")));
        assertTrue(options.find(), "docker/Dockerfile sets JAVA_TOOL_OPTIONS");
        return options.group(1);
    }

    /** The services built from this repository's Dockerfile: the API and the workers. */
    private static List<String> productServices(ComposeFile compose) {
        return compose.services().stream()
                .filter(service -> compose.buildTarget(service).isPresent())
                .toList();
    }

    private static void checkAddress(
            ComposeFile compose,
            String service,
            Map<String, String> environment,
            String variable,
            String expected,
            List<String> problems) {
        if (!expected.equals(environment.get(variable))) {
            problems.add(service + ": " + variable + " is " + environment.get(variable) + ", not " + expected);
        }
        for (String address : expected.split(",")) {
            if (!compose.services().contains(address.substring(0, address.indexOf(':')))) {
                problems.add(service + ": " + variable + " names " + address + ", no service of compose.yaml");
            }
        }
    }

    private static String pointAt(Map<String, String> hosts, String value) {
        String pointed = value;
        for (Map.Entry<String, String> host : hosts.entrySet()) {
            pointed = pointed.replace(host.getKey(), host.getValue());
        }
        return pointed;
    }

    /** As in the postgres image: local superuser access, every other login by password. */
    private static void requirePasswordsExceptForTheSuperuser(String superuser) throws Exception {
        try (Connection connection = DriverManager.getConnection(superuser);
                Statement statement = connection.createStatement()) {
            ResultSet file = statement.executeQuery("SHOW hba_file");
            file.next();
            Files.writeString(Path.of(file.getString(1)), """
                    host all postgres 127.0.0.1/32 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    """);
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    /**
     * What docker/postgres/init.sh does in the container: logins.sql through psql, with the passwords the script
     * passes as psql variables from the postgres service's environment.
     */
    private static void runTheInitScript(String superuser, Map<String, String> environment) throws Exception {
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher passed = PSQL_VARIABLE.matcher(Files.readString(DOCKER.resolve("postgres/init.sh")));
        while (passed.find()) {
            variables.put(passed.group(1), environment.get(passed.group(2)));
        }
        String script = Files.readString(DOCKER.resolve("postgres/logins.sql"));
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            script = script.replace(
                    ":'" + variable.getKey() + "'", "'" + variable.getValue().replace("'", "''") + "'");
        }
        assertTrue(!script.contains(":'"), "every psql variable of logins.sql is passed by init.sh");
        try (Connection connection = DriverManager.getConnection(superuser);
                Statement statement = connection.createStatement()) {
            statement.execute(script);
        }
    }

    private void assertRefused(String user, String password, String sql, String reason) {
        SQLException refused = assertThrows(
                SQLException.class,
                () -> {
                    try (Connection connection = DriverManager.getConnection(databaseUrl, user, password);
                            Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                    }
                },
                user + ": " + sql);
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }
}
