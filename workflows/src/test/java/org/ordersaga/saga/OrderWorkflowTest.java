package org.ordersaga.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ordersaga.saga.SagaStep.CHARGE_PAYMENT;
import static org.ordersaga.saga.SagaStep.COMPLETE_ORDER;
import static org.ordersaga.saga.SagaStep.CREATE_SHIPMENT;
import static org.ordersaga.saga.SagaStep.RECORD_ORDER;
import static org.ordersaga.saga.SagaStep.RESERVE_INVENTORY;
import static org.ordersaga.saga.StepState.COMPENSATED;
import static org.ordersaga.saga.StepState.DONE;
import static org.ordersaga.saga.StepState.FAILED;
import static org.ordersaga.saga.StepState.PENDING;
import static org.ordersaga.saga.StepState.SKIPPED;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderWorkflowTest {

    private static final BigDecimal ORDER_TOTAL = new BigDecimal("30.00");

    private final FakeServices services = new FakeServices();
    private TestWorkflowEnvironment env;
    private WorkflowClient client;

    @BeforeEach
    void startEnvironment() {
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .registerSearchAttribute("OrderStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .registerSearchAttribute("CustomerId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .build());
        client = env.getWorkflowClient();
    }

    @AfterEach
    void closeEnvironment() {
        env.close();
    }

    private OrderWorkflow start(String orderId, SagaSettings settings) {
        services.register(env, settings);
        env.start();
        OrderRequest order = Orders.order(orderId);
        OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
        WorkflowClient.start(workflow::process, order);
        return workflow;
    }

    private SagaStatus result(OrderWorkflow workflow) {
        return WorkflowStub.fromTyped(workflow).getResult(SagaStatus.class);
    }

    @Test
    void happyPathRunsEveryStepInOrderAndCompletes() {
        OrderWorkflow workflow = start("1", SagaSettings.DEFAULT);
        SagaStatus status = result(workflow);

        assertEquals(List.of("recordPlaced", "reserve", "charge", "createShipment", "recordCompleted"), services.calls);
        assertEquals(OrderStatus.COMPLETED, status.status());
        assertEquals(0, ORDER_TOTAL.compareTo(status.total()));
        assertNull(status.failure());
        for (StepStatus step : status.steps()) {
            assertEquals(DONE, step.state(), step.step() + " state");
            assertEquals(1, step.attempts(), step.step() + " attempts");
        }
        var attributes = WorkflowStub.fromTyped(workflow).describe().getTypedSearchAttributes();
        assertEquals("COMPLETED", attributes.get(OrderWorkflows.ORDER_STATUS));
        assertEquals("cust-ok", attributes.get(OrderWorkflows.CUSTOMER_ID));
    }

    static Stream<Arguments> businessFailures() {
        return Stream.of(
                Arguments.of("reserve", FailureTypes.OUT_OF_STOCK, RESERVE_INVENTORY,
                        List.of("recordPlaced", "reserve", "recordCompensated")),
                Arguments.of("reserve", FailureTypes.UNKNOWN_SKU, RESERVE_INVENTORY,
                        List.of("recordPlaced", "reserve", "recordCompensated")),
                Arguments.of("charge", FailureTypes.PAYMENT_DECLINED, CHARGE_PAYMENT,
                        List.of("recordPlaced", "reserve", "charge", "release", "recordCompensated")),
                Arguments.of("createShipment", FailureTypes.ADDRESS_UNSERVICEABLE, CREATE_SHIPMENT,
                        List.of("recordPlaced", "reserve", "charge", "createShipment", "refund", "release",
                                "recordCompensated")));
    }

    @ParameterizedTest(name = "{1} at {2}")
    @MethodSource("businessFailures")
    void businessFailureCompensatesExactlyTheCompletedStepsInReverseOrder(
            String method, String type, SagaStep failedStep, List<String> expectedCalls) {
        services.reject(method, type);
        SagaStatus status = result(start("2", SagaSettings.DEFAULT));

        assertEquals(expectedCalls, services.calls);
        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(new SagaFailure(failedStep, type, method + " rejected"), status.failure());
        assertEquals(1, status.step(failedStep).attempts(), "a business failure is not retried");
        for (StepStatus step : status.steps()) {
            StepState expected = step.step() == failedStep ? FAILED
                    : step.step() == RECORD_ORDER || step.step().ordinal() < failedStep.ordinal() ? COMPENSATED
                    : SKIPPED;
            assertEquals(expected, step.state(), step.step() + " state");
        }
        assertEquals(List.of(status.failure()), services.compensatedOrders.stream().map(o -> o.failure()).toList());
    }

    @Test
    void transientFailuresRetryWithExponentialBackoffThenSucceed() {
        services.failNext("reserve", FakeServices.transientFailure(), FakeServices.transientFailure(),
                FakeServices.transientFailure());
        OrderWorkflow workflow = start("3", SagaSettings.DEFAULT);
        SagaStatus status = result(workflow);

        assertEquals(OrderStatus.COMPLETED, status.status());
        StepStatus reserve = status.step(RESERVE_INVENTORY);
        assertEquals(4, reserve.attempts());
        assertEquals("TransientFault: connection reset", reserve.lastError());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)),
                timerDurations(workflow));
    }

    @Test
    void transientFailuresGiveUpAfterTheStepsBudgetAndCompensate() {
        RetryPolicy quick = new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(20));
        RuntimeException[] alwaysFailing = Stream.generate(FakeServices::transientFailure).limit(20)
                .toArray(RuntimeException[]::new);
        services.failNext("createShipment", alwaysFailing);
        SagaStatus status = result(start("4", new SagaSettings(Map.of(TaskQueues.SHIPPING, quick))));

        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(CREATE_SHIPMENT, status.failure().step());
        assertEquals(FailureTypes.RETRIES_EXHAUSTED, status.failure().type());
        // waits of 1, 2, 4, 8 s fit in 20 s; the fifth wait (10 s) would not
        assertEquals(5, status.step(CREATE_SHIPMENT).attempts());
        assertEquals(1, services.count("cancelShipment"), "an exhausted step may have taken effect: undo it");
        assertTrue(services.calls.indexOf("cancelShipment") < services.calls.indexOf("refund"));
    }

    @Test
    void aStepThatSucceedsButTimesOutIsStillCompensated() {
        RetryPolicy impatient = new RetryPolicy(Duration.ofMillis(200), 2.0, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(3));
        services.hang("charge", Duration.ofMillis(1500));
        SagaStatus status = result(start("5", new SagaSettings(Map.of(TaskQueues.PAYMENT, impatient))));

        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(FailureTypes.RETRIES_EXHAUSTED, status.failure().type());
        assertTrue(status.step(CHARGE_PAYMENT).lastError().startsWith("timed out"),
                status.step(CHARGE_PAYMENT).lastError());
        assertTrue(services.count("charge") >= 2, "a timed-out attempt is retried");
        assertEquals(1, services.count("refund"), "the charge may have committed before timing out");
        assertEquals(1, services.count("release"));
    }

    @Test
    void cancelDuringPaymentCompensatesWhatWasDone() {
        CountDownLatch chargeGate = services.gate("charge");
        OrderWorkflow workflow = start("6", SagaSettings.DEFAULT);
        waitUntil(() -> services.count("charge") == 1);

        SagaStatus accepted = workflow.cancel("customer changed their mind");
        assertEquals("customer changed their mind", accepted.cancelReason());
        chargeGate.countDown();
        SagaStatus status = result(workflow);

        assertEquals(List.of("recordPlaced", "reserve", "charge", "refund", "release", "recordCompensated"),
                services.calls);
        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(new SagaFailure(CREATE_SHIPMENT, FailureTypes.ORDER_CANCELLED, "customer changed their mind"),
                status.failure());
        assertEquals(COMPENSATED, status.step(CHARGE_PAYMENT).state());
        assertEquals(SKIPPED, status.step(CREATE_SHIPMENT).state());
    }

    @Test
    void cancelIsRefusedOnceTheShipmentIsBeingCreated() {
        CountDownLatch shipmentGate = services.gate("createShipment");
        OrderWorkflow workflow = start("7", SagaSettings.DEFAULT);
        waitUntil(() -> services.count("createShipment") == 1);

        WorkflowUpdateException refused = assertThrows(WorkflowUpdateException.class, () -> workflow.cancel("late"));
        assertTrue(rootMessage(refused).contains("too late to cancel"), rootMessage(refused));
        shipmentGate.countDown();
        assertEquals(OrderStatus.COMPLETED, result(workflow).status());
    }

    /**
     * Cancels while the saga waits to retry the charge. Cancelling with an activity in flight cannot be tested on
     * the time-skipping test server: it rejects the activity cancel command (temporalio/sdk-java#2391).
     */
    @Test
    void cancellingTheWorkflowItselfCompensatesToo() {
        RetryPolicy slow = new RetryPolicy(Duration.ofHours(1), 2.0, Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofHours(3));
        services.failNext("charge", FakeServices.transientFailure());
        OrderWorkflow workflow = start("8", new SagaSettings(Map.of(TaskQueues.PAYMENT, slow)));
        waitUntil(() -> workflow.status().step(CHARGE_PAYMENT).lastError() != null);

        WorkflowStub.fromTyped(workflow).cancel();
        WorkflowFailedException closed = assertThrows(WorkflowFailedException.class, () -> result(workflow));
        assertTrue(closed.getCause() instanceof CanceledFailure, "the execution closes as cancelled");
        SagaStatus status = workflow.status();

        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(new SagaFailure(null, FailureTypes.ORDER_CANCELLED, "workflow cancellation requested"),
                status.failure());
        assertEquals(List.of("recordPlaced", "reserve", "charge", "refund", "release", "recordCompensated"),
                services.calls, "the failed charge attempt may have committed: it is refunded too");
    }

    @Test
    void aFailingCompensationIsRetriedUntilItSucceeds() {
        services.reject("createShipment", FailureTypes.ADDRESS_UNSERVICEABLE);
        services.failNext("refund", FakeServices.transientFailure(), FakeServices.transientFailure(),
                FakeServices.transientFailure(), FakeServices.transientFailure());
        SagaStatus status = result(start("9", SagaSettings.DEFAULT));

        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(5, services.count("refund"));
        StepStatus charge = status.step(CHARGE_PAYMENT);
        assertEquals(COMPENSATED, charge.state());
        assertEquals(5, charge.compensationAttempts());
        assertNull(charge.lastCompensationError());
        assertFalse(status.compensationFailing());
        assertEquals(List.of("refund", "release", "recordCompensated"),
                services.calls.subList(services.calls.size() - 3, services.calls.size()));
    }

    @Test
    void statusSaysWhenACompensationKeepsFailing() {
        services.reject("charge", FailureTypes.PAYMENT_DECLINED);
        services.failUntilStopped("release");
        OrderWorkflow workflow = start("10", SagaSettings.DEFAULT);
        waitUntil(() -> services.count("release") >= 4);

        SagaStatus failing = workflow.status();
        assertEquals(OrderStatus.COMPENSATING, failing.status());
        assertTrue(failing.compensationFailing());
        assertTrue(failing.step(RESERVE_INVENTORY).compensationAttempts() >= 4);
        assertEquals("TransientFault: connection reset", failing.step(RESERVE_INVENTORY).lastCompensationError());

        services.stopFailing("release");
        SagaStatus status = result(workflow);
        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertFalse(status.compensationFailing());
        assertEquals(COMPENSATED, status.step(RESERVE_INVENTORY).state());
    }

    @Test
    void aCompensationThatKeepsFailingRetriesInPatientRoundsSoTheHistoryStaysSmall() {
        RetryPolicy quick = new RetryPolicy(Duration.ofMillis(100), 2.0, Duration.ofMillis(400),
                Duration.ofSeconds(10), Duration.ofMinutes(1));
        services.reject("charge", FailureTypes.PAYMENT_DECLINED);
        services.failUntilStopped("release");
        OrderWorkflow workflow = start("13", new SagaSettings(Map.of(TaskQueues.INVENTORY, quick)));
        waitUntil(() -> services.count("release") >= 8);

        services.stopFailing("release");
        SagaStatus status = result(workflow);

        assertEquals(OrderStatus.COMPENSATED, status.status());
        // waits of 100, 200, 400 ms after the first three tries; 400 ms is the maximum, so the fourth is a round
        assertEquals(4, status.step(RESERVE_INVENTORY).compensationAttempts());
        assertTrue(services.count("release") >= 8, "the server retried within the round");
        List<ActivityTaskScheduledEventAttributes> releases = scheduledActivities(workflow, "InventoryRelease");
        assertEquals(4, releases.size());
        assertEquals(1, releases.get(2).getRetryPolicy().getMaximumAttempts());
        ActivityTaskScheduledEventAttributes round = releases.get(3);
        assertEquals(0, round.getRetryPolicy().getMaximumAttempts(), "unlimited attempts within the round");
        assertEquals(StepRunner.PATIENT_ROUND.toSeconds(), round.getScheduleToCloseTimeout().getSeconds());
    }

    @Test
    void statusQueryShowsEachStage() {
        CountDownLatch reserveGate = services.gate("reserve");
        CountDownLatch chargeGate = services.gate("charge");
        CountDownLatch shipmentGate = services.gate("createShipment");
        OrderWorkflow workflow = start("11", SagaSettings.DEFAULT);

        waitUntil(() -> services.count("reserve") == 1);
        assertStates(workflow.status(), DONE, PENDING, PENDING, PENDING, PENDING);
        assertNull(workflow.status().total());
        reserveGate.countDown();

        waitUntil(() -> services.count("charge") == 1);
        SagaStatus charging = workflow.status();
        assertStates(charging, DONE, DONE, PENDING, PENDING, PENDING);
        assertEquals(1, charging.step(CHARGE_PAYMENT).attempts());
        assertEquals(0, ORDER_TOTAL.compareTo(charging.total()));
        assertEquals(OrderStatus.PROCESSING, charging.status());
        chargeGate.countDown();

        waitUntil(() -> services.count("createShipment") == 1);
        assertStates(workflow.status(), DONE, DONE, DONE, PENDING, PENDING);
        shipmentGate.countDown();

        SagaStatus done = result(workflow);
        assertStates(done, DONE, DONE, DONE, DONE, DONE);
        assertEquals(done, workflow.status());
        assertEquals(OrderStatus.COMPLETED, done.status());
        assertEquals(COMPLETE_ORDER, done.steps().get(4).step());
    }

    @Test
    void anInvalidOrderFailsBeforeAnyStep() {
        services.register(env, SagaSettings.DEFAULT);
        env.start();
        OrderRequest invalid = new OrderRequest("12", " ", List.of(new OrderItem("sku-100", 0)),
                Orders.order("12").shippingAddress());
        OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(invalid));

        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> workflow.process(invalid));
        ApplicationFailure cause = (ApplicationFailure) failed.getCause();
        assertEquals(FailureTypes.INVALID_ORDER, cause.getType());
        assertTrue(cause.getOriginalMessage().contains("customerId: must not be blank"));
        assertTrue(cause.getOriginalMessage().contains("items[0].quantity: must be between 1 and 1000"));
        assertEquals(List.of(), services.calls);
    }

    private static void assertStates(SagaStatus status, StepState... expected) {
        assertEquals(List.of(expected), status.steps().stream().map(StepStatus::state).toList());
    }

    private List<Duration> timerDurations(OrderWorkflow workflow) {
        String workflowId = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
        return client.fetchHistory(workflowId).getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
                .map(HistoryEvent::getTimerStartedEventAttributes)
                .map(t -> Duration.ofSeconds(t.getStartToFireTimeout().getSeconds(),
                        t.getStartToFireTimeout().getNanos()))
                .toList();
    }

    private List<ActivityTaskScheduledEventAttributes> scheduledActivities(OrderWorkflow workflow, String type) {
        String workflowId = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
        return client.fetchHistory(workflowId).getEvents().stream()
                .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
                .filter(scheduled -> scheduled.getActivityType().getName().equals(type))
                .toList();
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    private static void waitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
