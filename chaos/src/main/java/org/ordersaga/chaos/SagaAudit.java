package org.ordersaga.chaos;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ordersaga.local.EventSequences;
import org.ordersaga.local.PublishedEvents;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.saga.FailureTypes;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.SagaService;

/**
 * The checks after a run, against what the services, Temporal and Kafka hold: every saga terminal and ended as its
 * order asked, stock and money conserved, nothing charged twice, every order's events on Kafka exactly as the event
 * contract gives them (once each after dedupe), and the order view equal to the sagas.
 */
final class SagaAudit {

    static final String NOT_ACCEPTED = "orders the API did not accept";
    static final String EXITED = "worker processes that exited on their own";
    static final String NOT_TERMINAL = "sagas not terminal";
    static final String WRONG_OUTCOME = "sagas that ended otherwise than their order asked";
    static final String UNITS = "SKUs whose units (available + held) changed";
    static final String HELD = "orders holding stock that did not complete, or completed without";
    static final String MONEY = "customers whose balance + kept charges changed";
    static final String KEPT = "orders keeping a charge that did not complete, or completed without";
    static final String CHARGED_TWICE = "orders charged twice";
    static final String UNPUBLISHED = "outbox rows not published (or parked)";
    static final String MISSING_ON_KAFKA = "outbox events missing on Kafka";
    static final String WRONG_EVENTS = "orders whose events differ from docs/events.md";
    static final String VIEW = "orders whose view differs from the saga";

    /**
     * What a run left behind, and what the audit found.
     *
     * @param outcomes how many sagas ended how ({@code COMPENSATED/PaymentDeclined}, say)
     * @param events the distinct events of the orders on Kafka
     * @param records their records, repeats included
     */
    record Result(Map<String, Integer> outcomes, int events, int records, Violations violations) {}

    private final Sql sql;
    private final Path eventsMarkdown;
    private final Violations violations = new Violations();

    SagaAudit(Sql sql, Path eventsMarkdown) {
        this.sql = sql;
        this.eventsMarkdown = eventsMarkdown;
        for (String check : List.of(
                NOT_ACCEPTED,
                EXITED,
                NOT_TERMINAL,
                WRONG_OUTCOME,
                UNITS,
                HELD,
                MONEY,
                KEPT,
                CHARGED_TWICE,
                UNPUBLISHED,
                MISSING_ON_KAFKA,
                WRONG_EVENTS,
                VIEW)) {
            violations.check(check);
        }
    }

    /** Records an order whose placement failed, with why. */
    void notAccepted(String why) {
        violations.add(NOT_ACCEPTED, why);
    }

    /**
     * Audits what {@code stack} holds once it has settled: the sagas of the {@code placed} orders, the books against
     * those read {@code before} the orders came, and the topics (read to their ends within {@code limit}).
     */
    Result audit(ChaosStack stack, List<PlacedOrder> placed, Books before, Duration limit) {
        stack.exitedOnTheirOwn().forEach(exit -> violations.add(EXITED, exit));
        Map<String, SagaOutcome> sagas = SagaOutcomes.read(stack.temporal(), sql);
        Books after = Books.read(sql);
        String kafkaBootstrapServers = stack.engines().kafka().bootstrapServers();
        Map<String, Integer> outcomes = new TreeMap<>();
        Set<String> completed = new HashSet<>();
        for (PlacedOrder order : placed) {
            SagaOutcome outcome =
                    sagas.getOrDefault(order.orderId(), new SagaOutcome(false, OrderStatus.PROCESSING, null));
            outcomes.merge(outcome.label(), 1, Integer::sum);
            if (!outcome.terminal()) {
                violations.add(NOT_TERMINAL, order.orderId() + " " + outcome.label());
            } else if (!order.kind().endedRight(outcome, order.cancelAccepted())) {
                violations.add(
                        WRONG_OUTCOME,
                        order.orderId() + ": " + order.kind() + (order.cancelAccepted() ? " (cancel accepted)" : "")
                                + " ended " + outcome.label());
            }
            if (outcome.terminal() && outcome.status() == OrderStatus.COMPLETED) {
                completed.add(order.orderId());
            }
        }
        auditStock(before, after, completed);
        auditMoney(before, after, completed);
        PublishedEvents published = auditOutboxes(placed, kafkaBootstrapServers, limit);
        auditEvents(placed, sagas, published);
        auditView(placed, sagas);
        return new Result(outcomes, published.eventIds().size(), published.records(), violations);
    }

    private void auditStock(Books before, Books after, Set<String> completed) {
        before.units().forEach((sku, units) -> {
            if (!units.equals(after.units().get(sku))) {
                violations.add(
                        UNITS, sku + ": " + units + " before, " + after.units().get(sku) + " after");
            }
        });
        differences(
                HELD, completed, sql.strings("inventory", "SELECT order_id FROM reservations WHERE status = 'ACTIVE'"));
    }

    private void auditMoney(Books before, Books after, Set<String> completed) {
        Map<String, BigDecimal> kept = sql.byKey(
                "payment",
                "SELECT customer_id, sum(amount) FROM charges WHERE status = 'CHARGED' GROUP BY customer_id",
                row -> row.getBigDecimal(2));
        before.balances().forEach((customer, balance) -> {
            BigDecimal now = after.balances().get(customer).add(kept.getOrDefault(customer, BigDecimal.ZERO));
            if (balance.compareTo(now) != 0) {
                violations.add(MONEY, customer + ": " + balance + " before, " + now + " after (balance + kept)");
            }
        });
        differences(KEPT, completed, sql.strings("payment", "SELECT order_id FROM charges WHERE status = 'CHARGED'"));
        sql.strings("payment", """
                        SELECT order_id FROM charges WHERE status IN ('CHARGED', 'REFUNDED')
                        GROUP BY order_id HAVING count(*) > 1""").forEach(orderId -> violations.add(CHARGED_TWICE, orderId + " has two charges"));
    }

    /** Every outbox row published, and on Kafka; returns what Kafka holds. */
    private PublishedEvents auditOutboxes(List<PlacedOrder> placed, String kafkaBootstrapServers, Duration limit) {
        Set<String> written = new HashSet<>();
        for (SagaService service : SagaService.values()) {
            long unpublished = sql.count(
                    service.id(), "SELECT count(*) FROM outbox WHERE published_at IS NULL OR parked_at IS NOT NULL");
            if (unpublished > 0) {
                violations.add(UNPUBLISHED, service.id() + ": " + unpublished);
            }
            written.addAll(sql.strings(service.id(), "SELECT id::text FROM outbox"));
        }
        Set<String> orderIds = new HashSet<>();
        placed.forEach(order -> orderIds.add(order.orderId()));
        // a row is marked published once the broker has its event, so the topics' ends hold every marked row's event
        PublishedEvents published = PublishedEvents.read(kafkaBootstrapServers, orderIds, 0, limit);
        written.removeAll(published.eventIds());
        written.forEach(id -> violations.add(MISSING_ON_KAFKA, id));
        return published;
    }

    private void auditEvents(List<PlacedOrder> placed, Map<String, SagaOutcome> sagas, PublishedEvents published) {
        Map<String, Map<String, List<String>>> documented = EventSequences.documented(eventsMarkdown);
        for (PlacedOrder order : placed) {
            SagaOutcome outcome = sagas.get(order.orderId());
            if (outcome == null || !outcome.terminal()) {
                continue;
            }
            Map<String, List<String>> events = published.of(order.orderId());
            if (events.getOrDefault(EventTopics.topic("", SagaService.PAYMENT), List.of()).stream()
                            .filter("PaymentCharged"::equals)
                            .count()
                    > 1) {
                violations.add(CHARGED_TWICE, order.orderId() + " has two PaymentCharged events " + events);
            }
            String row = documentedRow(outcome);
            boolean asDocumented =
                    row == null ? everyStepUndone(events) : documented.get(row).equals(events);
            if (!asDocumented) {
                violations.add(
                        WRONG_EVENTS,
                        order.orderId() + " " + outcome.label() + ": " + events
                                + (row == null ? "" : " instead of " + documented.get(row)));
            }
        }
    }

    /** The sequences table's row for an outcome; null for the conditional one (cancelled, or retries exhausted). */
    private static String documentedRow(SagaOutcome outcome) {
        if (outcome.status() == OrderStatus.COMPLETED) {
            return "completed";
        }
        if (outcome.failureType() == null) {
            return null;
        }
        return switch (outcome.failureType()) {
            case FailureTypes.OUT_OF_STOCK, FailureTypes.UNKNOWN_SKU -> "out of stock / unknown sku";
            case FailureTypes.PAYMENT_DECLINED -> "payment declined";
            case FailureTypes.ADDRESS_UNSERVICEABLE -> "address unserviceable";
            default -> null;
        };
    }

    /**
     * The conditional row: each step that took effect is undone ({@code InventoryReserved, InventoryReleased} or
     * nothing, and so on), and {@code OrderCompensated} is the order's last event, after {@code OrderPlaced} unless
     * the saga was cancelled before the order record was written.
     */
    private static boolean everyStepUndone(Map<String, List<String>> events) {
        Map<String, List<String>> allowed = Map.of(
                EventTopics.topic("", SagaService.INVENTORY), List.of("InventoryReserved", "InventoryReleased"),
                EventTopics.topic("", SagaService.PAYMENT), List.of("PaymentCharged", "PaymentRefunded"),
                EventTopics.topic("", SagaService.SHIPPING), List.of("ShipmentCreated", "ShipmentCancelled"));
        String ordersTopic = EventTopics.topic("", SagaService.ORDERS);
        List<String> order = events.getOrDefault(ordersTopic, List.of());
        if (!order.equals(List.of("OrderPlaced", "OrderCompensated")) && !order.equals(List.of("OrderCompensated"))) {
            return false;
        }
        return events.entrySet().stream()
                .filter(topic -> !topic.getKey().equals(ordersTopic))
                .allMatch(topic -> topic.getValue().equals(allowed.get(topic.getKey())));
    }

    /** The order view, built only from Kafka, against the sagas: same status, same failure. */
    private void auditView(List<PlacedOrder> placed, Map<String, SagaOutcome> sagas) {
        Map<String, String> views = sql.byKey(
                "order_view",
                "SELECT order_id, status || coalesce('/' || failure_type, '') FROM order_view",
                row -> row.getString(2));
        for (PlacedOrder order : placed) {
            SagaOutcome outcome = sagas.get(order.orderId());
            if (outcome != null && outcome.terminal() && !outcome.label().equals(views.get(order.orderId()))) {
                violations.add(
                        VIEW, order.orderId() + ": saga " + outcome.label() + ", view " + views.get(order.orderId()));
            }
        }
    }

    /** Orders in one set and not the other, each a violation of {@code check}. */
    private void differences(String check, Set<String> completed, Set<String> holding) {
        completed.stream()
                .filter(orderId -> !holding.contains(orderId))
                .forEach(orderId -> violations.add(check, orderId + " completed without"));
        holding.stream()
                .filter(orderId -> !completed.contains(orderId))
                .forEach(orderId -> violations.add(check, orderId + " did not complete"));
    }
}
