package org.ordersaga.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.Await;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.local.KafkaCluster;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.saga.SagaService;

/**
 * Kafka as production runs it: three KRaft brokers (each also a controller) on 127.0.0.1, every topic on all three
 * with {@code min.insync.replicas=2}, the relays' producers {@code acks=all} and idempotent. Orders of every kind
 * arrive over HTTP and run as sagas on the production Temporal server, a worker per service (payment twice) and the
 * API. Once a quarter of them is placed, the broker leading the most event partitions is SIGKILLed: its partitions
 * fail over, and the relays keep publishing on the two brokers left. It is started again only after hundreds of events
 * written since the kill are on Kafka, and catches up. Then the chaos run's audit finds nothing: no event lost, each
 * order's events in their order after dedupe, the projection equal to the sagas, stock and money conserved.
 */
@Tag("real-temporal")
class BrokerLossIT {

    private static final int BROKERS = 3;
    private static final int ORDERS = 180;
    private static final Duration ARRIVAL_INTERVAL = Duration.ofMillis(150);
    private static final int PUBLISHED_WHILE_DOWN = 200;
    private static final Duration LIMIT = Duration.ofMinutes(3);

    private ChaosStack stack;

    @AfterEach
    void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void sagasRideOutTheLossOfABrokerWithNothingLostAndTheProjectionConverges() throws Exception {
        stack = CrashTests.start("broker-loss", BROKERS);
        Sql sql = new Sql(stack.jdbcUrl());
        Stock.seed(sql, ORDERS);
        Books before = Books.read(sql);
        SagaAudit audit = CrashTests.audit(sql);
        KafkaCluster kafka = stack.engines().kafka();
        long started = System.nanoTime();

        try (Admin admin = admin(kafka)) {
            Arrivals arrivals = Arrivals.start(stack.client(), ORDERS, ARRIVAL_INTERVAL, audit::notAccepted);
            Await.until("a quarter of the orders placed", LIMIT, () -> arrivals.placed() >= ORDERS / 4);
            Await.until(
                    "every service's event topic created by its relay",
                    LIMIT,
                    () -> answer(admin.listTopics().names()).containsAll(EventTopics.all("")));
            assertEveryEventPartitionOn(admin, BROKERS);
            for (Config topic :
                    answer(admin.describeConfigs(eventTopicResources()).all()).values()) {
                assertEquals(
                        "2", topic.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
            }

            int victim = leaderOfMostPartitions(admin);
            Map<String, Long> writtenBeforeKill = lastOutboxRows(sql);
            KafkaBroker killed = kafka.brokers().get(victim - 1);
            long killedPid = killed.pid();
            killed.kill();
            double killedAt = CrashTests.secondsSince(started);
            Await.until(
                    "every event partition led by another broker, the killed one out of sync",
                    LIMIT,
                    () -> everyEventPartition(
                            admin,
                            partition -> partition.leader() != null
                                    && partition.leader().id() != victim
                                    && partition.isr().stream().noneMatch(node -> node.id() == victim)));
            double failedOverAt = CrashTests.secondsSince(started);
            long[] publishedWhileDown = {0};
            Await.until(PUBLISHED_WHILE_DOWN + " events written since the kill on Kafka", LIMIT, () -> {
                publishedWhileDown[0] = publishedSince(sql, writtenBeforeKill);
                return publishedWhileDown[0] >= PUBLISHED_WHILE_DOWN;
            });
            assertFalse(
                    ProcessHandle.of(killedPid).map(ProcessHandle::isAlive).orElse(false),
                    "the killed broker is still down");
            killed.start();
            double restartedAt = CrashTests.secondsSince(started);
            Await.until(
                    "the restarted broker back in sync on every event partition",
                    LIMIT,
                    () -> everyEventPartition(
                            admin, partition -> partition.isr().size() == BROKERS));
            double inSyncAt = CrashTests.secondsSince(started);

            List<PlacedOrder> placed = arrivals.awaitAll(LIMIT);
            assertTrue(
                    stack.awaitSettled(ORDERS, LIMIT),
                    "every saga closed, every outbox published and the view complete within " + LIMIT);
            SagaAudit.Result found = audit.audit(stack, placed, before, LIMIT);
            System.out.printf(
                    "BrokerLossIT: %d orders over HTTP on %d brokers; broker %d (leader of the most event partitions)"
                            + " SIGKILLed at %.1f s, its partitions failed over by %.1f s; %d events written after the"
                            + " kill published while it was down; restarted at %.1f s, in sync again at %.1f s;"
                            + " everything settled at %.1f s; outcomes %s; %d events on Kafka as %d records; audit %s%n",
                    ORDERS,
                    BROKERS,
                    victim,
                    killedAt,
                    failedOverAt,
                    publishedWhileDown[0],
                    restartedAt,
                    inSyncAt,
                    CrashTests.secondsSince(started),
                    found.outcomes(),
                    found.events(),
                    found.records(),
                    found.violations().counts());
            // an order the API refused is a violation, reported with the API's answer
            CrashTests.assertNoViolations(found);
            assertEquals(ORDERS, placed.size());
            assertTrue(found.events() > 0);
        }
    }

    private static Admin admin(KafkaCluster kafka) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(config);
    }

    private static List<ConfigResource> eventTopicResources() {
        return EventTopics.all("").stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .toList();
    }

    private static List<TopicPartitionInfo> eventPartitions(Admin admin) {
        return answer(admin.describeTopics(EventTopics.all("")).allTopicNames()).values().stream()
                .map(TopicDescription::partitions)
                .flatMap(List::stream)
                .toList();
    }

    /** What the cluster answered; a broker failing over may leave a request unanswered for a while. */
    private static <T> T answer(KafkaFuture<T> request) {
        try {
            return request.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the Kafka cluster did not answer", e);
        }
    }

    private static void assertEveryEventPartitionOn(Admin admin, int brokers) {
        assertTrue(
                everyEventPartition(
                        admin,
                        partition -> partition.replicas().size() == brokers
                                && partition.isr().size() == brokers),
                "every event partition on every broker, all in sync");
    }

    /** Whether every partition of the event topics is so; not while the cluster does not answer. */
    private static boolean everyEventPartition(Admin admin, Predicate<TopicPartitionInfo> condition) {
        try {
            return eventPartitions(admin).stream().allMatch(condition);
        } catch (IllegalStateException unanswered) {
            return false;
        }
    }

    /** The node id of the broker leading the most event partitions: killing it moves the most leaders. */
    private static int leaderOfMostPartitions(Admin admin) {
        Map<Integer, Integer> led = new HashMap<>();
        for (TopicPartitionInfo partition : eventPartitions(admin)) {
            Node leader = partition.leader();
            led.merge(leader.id(), 1, Integer::sum);
        }
        return led.entrySet().stream()
                .max(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .orElseThrow()
                .getKey();
    }

    /** Each service's newest outbox row. */
    private static Map<String, Long> lastOutboxRows(Sql sql) {
        Map<String, Long> last = new HashMap<>();
        for (SagaService service : SagaService.values()) {
            last.put(service.id(), sql.count(service.id(), "SELECT coalesce(max(seq), 0) FROM outbox"));
        }
        return last;
    }

    /** Outbox rows written after {@code last} and marked published: the broker acknowledged their events. */
    private static long publishedSince(Sql sql, Map<String, Long> last) {
        long published = 0;
        for (SagaService service : SagaService.values()) {
            published += sql.count(
                    service.id(),
                    "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL AND seq > " + last.get(service.id()));
        }
        return published;
    }
}
