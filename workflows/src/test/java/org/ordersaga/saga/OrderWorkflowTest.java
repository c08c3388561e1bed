package org.ordersaga.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OrderWorkflowTest {

    private static final BigDecimal ORDER_TOTAL = new BigDecimal("30.00");

    private final FakeServices services = new FakeServices();
    private TestWorkflowEnvironment env;
    private WorkflowClient client;

    @BeforeEach
    void startEnvironment() {
        env = newEnvironment();
        client = env.getWorkflowClient();
    }

    static TestWorkflowEnvironment newEnvironment() {
        return newEnvironment(true);
    }

    private static TestWorkflowEnvironment newEnvironment(boolean skipTime) {
        TestEnvironmentOptions.Builder options =
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(skipTime);
        OrderWorkflows.SEARCH_ATTRIBUTES.forEach(
                key -> options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        return TestWorkflowEnvironment.newInstance(options.build());
    }

    /**
     * For a test whose step budget (schedule-to-close) runs out during a retry backoff: the test server's retry
     * expiry check reads only the nanoseconds of that deadline, so a deadline on a whole second is left to its timer,
     * whose time-skipping lock bookkeeping can then stall the workflow for good (once in about a thousand runs). On
     * the wall clock, with budgets of a second or so, nothing waits for time skipping.
     */
    private void onTheWallClock() {
        env.close();
        env = newEnvironment(false);
        client = env.getWorkflowClient();
    }

    @AfterEach
    void closeEnvironment() {
        env.close();
    }

    private OrderWorkflow start(String orderId, SagaPolicy policy) {
        services.register(env);
        env.start();
        OrderRequest order = Orders.order(orderId);
        OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
        WorkflowClient.start(workflow::process, order, policy);
        return workflow;
    }

    private SagaStatus result(OrderWorkflow workflow) {
        return WorkflowStub.fromTyped(workflow).getResult(SagaStatus.class);
    }

    @Test
    void happyPathRunsEveryStepInOrderAndCompletes() {
        OrderWorkflow workflow = start("1", SagaPolicy.DEFAULT);
        SagaStatus status = result(workflow);

        assertEquals(List.of("recordPlaced", "reserve", "charge", "createShipment", "recordCompleted"), services.calls);
        assertEquals(OrderStatus.COMPLETED, status.status());
        assertEquals(0, ORDER_TOTAL.compareTo(status.total()));
        assertNull(status.failure());
        for (StepStatus step : status.steps()) {
            assertEquals(DONE, step.state(), step.step() + " state");
        }
        var attributes = WorkflowStub.fromTyped(workflow).describe().getTypedSearchAttributes();
        assertEquals("COMPLETED", attributes.get(OrderWorkflows.ORDER_STATUS));
        assertEquals("cust-ok", attributes.get(OrderWorkflows.CUSTOMER_ID));
    }

    static Stream<Arguments> businessFailures() {
        return Stream.of(
                Arguments.of(
                        "reserve",
                        FailureTypes.OUT_OF_STOCK,
                        RESERVE_INVENTORY,
                        List.of("recordPlaced", "reserve", "recordCompensated")),
                Arguments.of(
                        "reserve",
                        FailureTypes.UNKNOWN_SKU,
                        RESERVE_INVENTORY,
                        List.of("recordPlaced", "reserve", "recordCompensated")),
                Arguments.of(
                        "charge",
                        FailureTypes.PAYMENT_DECLINED,
                        CHARGE_PAYMENT,
                        List.of("recordPlaced", "reserve", "charge", "release", "recordCompensated")),
                Arguments.of(
                        "createShipment",
                        FailureTypes.ADDRESS_UNSERVICEABLE,
                        CREATE_SHIPMENT,
                        List.of(
                                "recordPlaced",
                                "reserve",
                                "charge",
                                "createShipment",
                                "refund",
                                "release",
                                "recordCompensated")));
    }

    @ParameterizedTest(name = "{1} at {2}")
    @MethodSource("businessFailures")
    void businessFailureCompensatesExactlyTheCompletedStepsInReverseOrder(
            String method, String type, SagaStep failedStep, List<String> expectedCalls) {
        services.reject(method, type);
        SagaStatus status = result(start("2", SagaPolicy.DEFAULT));

        assertEquals(expectedCalls, services.calls);
        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(new SagaFailure(failedStep, type, method + " rejected"), status.failure());
        assertEquals(1, services.count(method), "a business failure is not retried");
        for (StepStatus step : status.steps()) {
            StepState expected = step.step() == failedStep
                    ? FAILED
                    : step.step() == RECORD_ORDER || step.step().ordinal() < failedStep.ordinal()
                            ? COMPENSATED
                            : SKIPPED;
            assertEquals(expected, step.state(), step.step() + " state");
        }
        assertEquals(
                List.of(status.failure()),
                services.compensatedOrders.stream().map(o -> o.failure()).toList());
    }

    @Test
    void temporalRetriesTransientFailuresWithTheSagasPolicy() {
        services.failNext(
                "reserve",
                FakeServices.transientFailure(),
                FakeServices.transientFailure(),
                FakeServices.transientFailure());
        RetryPolicy inventoryPolicy = new RetryPolicy(
                Duration.ofMillis(300), 3.0, Duration.ofSeconds(20), Duration.ofSeconds(7), Duration.ofMinutes(9));
        OrderWorkflow workflow = start("3", new SagaPolicy(Map.of(SagaService.INVENTORY.id(), inventoryPolicy)));
        SagaStatus status = result(workflow);

        assertEquals(OrderStatus.COMPLETED, status.status());
        assertEquals(4, services.count("reserve"));
        assertEquals(List.of(), timerDurations(workflow), "the workflow keeps no backoff timers of its own");
        ActivityTaskScheduledEventAttributes reserve =
                scheduledActivities(workflow, "InventoryReserve").get(0);
        RetryPolicy retry = inventoryPolicy;
        assertEquals(
                retry.initialInterval().toMillis(),
                millis(reserve.getRetryPolicy().getInitialInterval()));
        assertEquals(retry.backoffCoefficient(), reserve.getRetryPolicy().getBackoffCoefficient());
        assertEquals(
                retry.maximumInterval().toMillis(),
                millis(reserve.getRetryPolicy().getMaximumInterval()));
        assertEquals(0, reserve.getRetryPolicy().getMaximumAttempts());
        assertEquals(
                List.of(
                        FailureTypes.OUT_OF_STOCK,
                        FailureTypes.UNKNOWN_SKU,
                        FailureTypes.ALREADY_COMPENSATED,
                        FailureTypes.DATA_ERROR),
                reserve.getRetryPolicy().getNonRetryableErrorTypesList());
        assertEquals(retry.attemptTimeout().toMillis(), millis(reserve.getStartToCloseTimeout()));
        assertEquals(retry.giveUpAfter().toMillis(), millis(reserve.getScheduleToCloseTimeout()), "the budget");
        ActivityTaskScheduledEventAttributes charge =
                scheduledActivities(workflow, "PaymentCharge").get(0);
        assertEquals(
                RetryPolicy.DEFAULT.giveUpAfter().toMillis(),
                millis(charge.getScheduleToCloseTimeout()),
                "services the policy does not name use the default");
    }

    @Test
    void retriesAddNoHistoryEvents() {
        int cleanRun = historyLength(result(start("3a", SagaPolicy.DEFAULT)));
        FakeServices failingFiveTimes = new FakeServices();
        failingFiveTimes.failNext(
                "charge",
                Stream.generate(FakeServices::transientFailure).limit(5).toArray(RuntimeException[]::new));
        try (TestWorkflowEnvironment second = newEnvironment()) {
            failingFiveTimes.register(second);
            second.start();
            OrderRequest order = Orders.order("3a");
            OrderWorkflow workflow =
                    second.getWorkflowClient().newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
            SagaStatus status = workflow.process(order, SagaPolicy.DEFAULT);

            assertEquals(OrderStatus.COMPLETED, status.status());
            assertEquals(6, failingFiveTimes.count("charge"));
            assertEquals(
                    cleanRun,
                    second.getWorkflowClient()
                            .fetchHistory(OrderWorkflows.workflowId("3a"))
                            .getEvents()
                            .size(),
                    "five failed attempts cost no history events");
        }
    }

    @Test
    void transientFailuresGiveUpAfterTheStepsBudgetAndCompensate() {
        onTheWallClock();
        RetryPolicy quick = new RetryPolicy(
                Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3));
        services.failUntilStopped("createShipment");
        SagaStatus status = result(start("4", new SagaPolicy(Map.of(SagaService.SHIPPING.id(), quick))));

        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(CREATE_SHIPMENT, status.failure().step());
        assertEquals(FailureTypes.RETRIES_EXHAUSTED, status.failure().type());
        assertEquals(
                "gave up after PT3S; last: TransientFault: createShipment failed",
                status.failure().message());
        assertTrue(services.count("createShipment") >= 4, "retried with backoff within the budget");
        assertEquals(1, services.count("cancelShipment"), "an exhausted step may have taken effect: undo it");
        assertTrue(services.calls.indexOf("cancelShipment") < services.calls.indexOf("refund"));
    }

    @Test
    void aDataErrorIsNotRetriedAndIsCompensated() {
        services.failNext("charge", ApplicationFailure.newFailure("value too long", FailureTypes.DATA_ERROR));
        SagaStatus status = result(start("4b", SagaPolicy.DEFAULT));

        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(new SagaFailure(CHARGE_PAYMENT, FailureTypes.DATA_ERROR, "value too long"), status.failure());
        assertEquals(1, services.count("charge"));
        assertEquals(1, services.count("refund"), "not a business refusal: whatever it did is undone");
    }

    /** Each attempt meets the database down, or hangs past its timeout, for three budgets; then it recovers. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anOutageLongerThanTheBudgetDelaysTheStepWithoutCompensating(boolean attemptsTimeOut) {
        onTheWallClock();
        RetryPolicy quick = new RetryPolicy(
                Duration.ofMillis(100), 2.0, Duration.ofMillis(400), Duration.ofMillis(200), Duration.ofSeconds(1));
        if (attemptsTimeOut) {
            services.hang("charge", Duration.ofMillis(300));
        } else {
            services.failUntilStopped("charge", FailureTypes.SERVICE_UNAVAILABLE);
        }
        OrderWorkflow workflow = start("4c", new SagaPolicy(Map.of(SagaService.PAYMENT.id(), quick)));
        env.sleep(Duration.ofMillis(3500));
        assertEquals(OrderStatus.PROCESSING, workflow.status().status(), "three budgets later, still waiting");
        services.hang("charge", Duration.ZERO);
        services.stopFailing("charge");

        SagaStatus status = result(workflow);
        assertEquals(OrderStatus.COMPLETED, status.status());
        assertEquals(0, services.count("refund"));
        assertTrue(scheduledActivities(workflow, "PaymentCharge").size() >= 3, "a fresh budget after each");
    }

    @Test
    void cancelDuringPaymentCompensatesWhatWasDone() {
        CountDownLatch chargeGate = services.gate("charge");
        OrderWorkflow workflow = start("6", SagaPolicy.DEFAULT);
        waitUntil(() -> services.count("charge") == 1);

        SagaStatus accepted = workflow.cancel("customer changed their mind");
        assertEquals("customer changed their mind", accepted.cancelReason());
        chargeGate.countDown();
        SagaStatus status = result(workflow);

        assertEquals(
                List.of("recordPlaced", "reserve", "charge", "refund", "release", "recordCompensated"), services.calls);
        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(
                new SagaFailure(CREATE_SHIPMENT, FailureTypes.ORDER_CANCELLED, "customer changed their mind"),
                status.failure());
        assertEquals(COMPENSATED, status.step(CHARGE_PAYMENT).state());
        assertEquals(SKIPPED, status.step(CREATE_SHIPMENT).state());
    }

    /**
     * No worker polls while the cancel is sent, so it reaches the saga in its first workflow task, before the workflow
     * method has run (as when the API cancels right after placing, with the orders workers behind).
     */
    @Test
    void aCancelDeliveredWithTheSagasStartIsAcceptedAndTheRecordedOrderIsCompensated() throws Exception {
        services.register(env);
        OrderRequest order = Orders.order("20");
        OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
        WorkflowClient.start(workflow::process, order, SagaPolicy.DEFAULT);
        CompletableFuture<SagaStatus> cancel = CompletableFuture.supplyAsync(() -> workflow.cancel("at once"));
        // time for the update to reach the server; without the fix this test then fails ("the saga never started")
        Thread.sleep(1_000);
        env.start();

        assertEquals("at once", cancel.get(20, TimeUnit.SECONDS).cancelReason());
        SagaStatus status = result(workflow);
        assertEquals(List.of("recordPlaced", "recordCompensated"), services.calls);
        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(new SagaFailure(RESERVE_INVENTORY, FailureTypes.ORDER_CANCELLED, "at once"), status.failure());
    }

    @Test
    void aRejectionThatCrossesACancelIsTheReasonAndIsNotUndone() {
        CountDownLatch chargeGate = services.gate("charge");
        services.reject("charge", FailureTypes.PAYMENT_DECLINED);
        OrderWorkflow workflow = start("16", SagaPolicy.DEFAULT);
        waitUntil(() -> services.count("charge") == 1);

        workflow.cancel("changed my mind");
        chargeGate.countDown();
        SagaStatus status = result(workflow);

        assertEquals(
                new SagaFailure(CHARGE_PAYMENT, FailureTypes.PAYMENT_DECLINED, "charge rejected"), status.failure());
        assertEquals(List.of("recordPlaced", "reserve", "charge", "release", "recordCompensated"), services.calls);
    }

    @Test
    void cancelIsRefusedOnceTheShipmentIsBeingCreated() {
        CountDownLatch shipmentGate = services.gate("createShipment");
        OrderWorkflow workflow = start("7", SagaPolicy.DEFAULT);
        waitUntil(() -> services.count("createShipment") == 1);

        WorkflowUpdateException refused = assertThrows(WorkflowUpdateException.class, () -> workflow.cancel("late"));
        assertTrue(rootMessage(refused).contains("too late to cancel"), rootMessage(refused));
        shipmentGate.countDown();
        assertEquals(OrderStatus.COMPLETED, result(workflow).status());
    }

    /** Cancels while Temporal waits to retry the charge: the execution's cancellation stops the retries at once. */
    @Test
    void cancellingTheWorkflowItselfCompensatesToo() {
        RetryPolicy slow = new RetryPolicy(
                Duration.ofHours(1), 2.0, Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofHours(3));
        services.failNext("charge", FakeServices.transientFailure());
        OrderWorkflow workflow = start("8", new SagaPolicy(Map.of(SagaService.PAYMENT.id(), slow)));
        waitUntil(() -> services.count("charge") == 1);

        WorkflowStub.fromTyped(workflow).cancel();
        WorkflowFailedException closed = assertThrows(WorkflowFailedException.class, () -> result(workflow));
        assertTrue(closed.getCause() instanceof CanceledFailure, "the execution closes as cancelled");
        SagaStatus status = workflow.status();

        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(
                new SagaFailure(CHARGE_PAYMENT, FailureTypes.ORDER_CANCELLED, "workflow cancellation requested"),
                status.failure(),
                "the step it was on stopped retrying");
        assertEquals(
                List.of("recordPlaced", "reserve", "charge", "refund", "release", "recordCompensated"),
                services.calls,
                "the failed charge attempt may have committed: it is refunded too");
    }

    @Test
    void aFailingCompensationIsRetriedUntilItSucceeds() {
        services.reject("createShipment", FailureTypes.ADDRESS_UNSERVICEABLE);
        services.failNext(
                "refund",
                FakeServices.transientFailure(),
                FakeServices.transientFailure(),
                FakeServices.transientFailure(),
                FakeServices.transientFailure());
        OrderWorkflow workflow = start("9", SagaPolicy.DEFAULT);
        SagaStatus status = result(workflow);

        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(5, services.count("refund"));
        assertEquals(COMPENSATED, status.step(CHARGE_PAYMENT).state());
        assertEquals(
                List.of("refund", "release", "recordCompensated"),
                services.calls.subList(services.calls.size() - 3, services.calls.size()));
        ActivityTaskScheduledEventAttributes refund =
                scheduledActivities(workflow, "PaymentRefund").get(0);
        assertEquals(0, refund.getRetryPolicy().getMaximumAttempts(), "a compensation retries until it succeeds");
        assertEquals(List.of(), refund.getRetryPolicy().getNonRetryableErrorTypesList());
        assertTrue(
                millis(refund.getScheduleToCloseTimeout())
                        > Duration.ofDays(365).toMillis(),
                "no budget but the workflow's own lifetime: " + refund.getScheduleToCloseTimeout());
        assertEquals(
                RetryPolicy.DEFAULT.maximumInterval().toMillis(),
                millis(refund.getRetryPolicy().getMaximumInterval()),
                "at a capped interval");
    }

    @Test
    void temporalReportsACompensationThatKeepsFailing() {
        services.reject("charge", FailureTypes.PAYMENT_DECLINED);
        services.failUntilStopped("release", FailureTypes.DATA_ERROR);
        OrderWorkflow workflow = start("10", SagaPolicy.DEFAULT);
        waitUntil(() -> services.count("release") >= 3);

        assertEquals(OrderStatus.COMPENSATING, workflow.status().status());
        PendingStep release = waitFor(() -> pendingSteps(workflow).stream()
                .filter(pending -> pending.attempt() >= 3)
                .findFirst()
                .orElse(null));
        assertEquals(RESERVE_INVENTORY, release.step());
        assertTrue(release.compensation());
        assertTrue(release.failing());
        assertEquals(FailureTypes.DATA_ERROR, release.lastFailureType());
        assertEquals("release failed", release.lastFailureMessage());

        services.stopFailing("release");
        SagaStatus status = result(workflow);
        assertEquals(OrderStatus.COMPENSATED, status.status());
        assertEquals(COMPENSATED, status.step(RESERVE_INVENTORY).state());
        assertEquals(List.of(), pendingSteps(workflow));
    }

    @Test
    void statusQueryShowsEachStage() {
        CountDownLatch reserveGate = services.gate("reserve");
        CountDownLatch chargeGate = services.gate("charge");
        CountDownLatch shipmentGate = services.gate("createShipment");
        OrderWorkflow workflow = start("11", SagaPolicy.DEFAULT);

        waitUntil(() -> services.count("reserve") == 1);
        assertStates(workflow.status(), DONE, PENDING, PENDING, PENDING, PENDING);
        assertNull(workflow.status().total());
        reserveGate.countDown();

        waitUntil(() -> services.count("charge") == 1);
        SagaStatus charging = workflow.status();
        assertStates(charging, DONE, DONE, PENDING, PENDING, PENDING);
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
        services.register(env);
        env.start();
        OrderRequest invalid = new OrderRequest(
                "12",
                " ",
                List.of(new OrderItem("sku-100", 0)),
                Orders.order("12").shippingAddress());
        OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(invalid));

        WorkflowFailedException failed =
                assertThrows(WorkflowFailedException.class, () -> workflow.process(invalid, SagaPolicy.DEFAULT));
        ApplicationFailure cause = (ApplicationFailure) failed.getCause();
        assertEquals(FailureTypes.INVALID_ORDER, cause.getType());
        assertTrue(cause.getOriginalMessage().contains("customerId: must not be blank"));
        assertTrue(cause.getOriginalMessage().contains("items[0].quantity: must be between 1 and 1000"));
        assertEquals(List.of(), services.calls);
    }

    @Test
    void textAClientCannotStoreIsRefusedBeforeAnyStep() {
        services.register(env);
        env.start();
        OrderRequest valid = Orders.order("14");
        ShippingAddress address = valid.shippingAddress();
        OrderRequest invalid = new OrderRequest(
                "14",
                "cust\u0000ok",
                valid.items(),
                new ShippingAddress(
                        "x".repeat(OrderRequest.MAX_NAME_LENGTH + 1),
                        address.line1(),
                        address.city(),
                        address.postalCode(),
                        "gb"));
        OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(valid));

        WorkflowFailedException failed =
                assertThrows(WorkflowFailedException.class, () -> workflow.process(invalid, SagaPolicy.DEFAULT));
        String problems = ((ApplicationFailure) failed.getCause()).getOriginalMessage();
        assertTrue(problems.contains("customerId: must not contain control characters"), problems);
        assertTrue(problems.contains("shippingAddress.name: at most 100 characters"), problems);
        assertTrue(problems.contains("shippingAddress.country: an ISO 3166-1 alpha-2 code"), problems);
        assertEquals(List.of(), services.calls);
    }

    @Test
    void aCancelReasonTheSagaCannotRecordIsRefusedAndChangesNothing() {
        CountDownLatch chargeGate = services.gate("charge");
        OrderWorkflow workflow = start("15", SagaPolicy.DEFAULT);
        waitUntil(() -> services.count("charge") == 1);

        WorkflowUpdateException refused =
                assertThrows(WorkflowUpdateException.class, () -> workflow.cancel("stop\u0000now"));
        assertTrue(rootMessage(refused).contains("reason: must not contain control characters"), rootMessage(refused));
        assertThrows(WorkflowUpdateException.class, () -> workflow.cancel("x".repeat(501)));
        chargeGate.countDown();
        assertEquals(OrderStatus.COMPLETED, result(workflow).status());
    }

    private static void assertStates(SagaStatus status, StepState... expected) {
        assertEquals(
                List.of(expected),
                status.steps().stream().map(StepStatus::state).toList());
    }

    private List<Duration> timerDurations(OrderWorkflow workflow) {
        String workflowId = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
        return client.fetchHistory(workflowId).getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
                .map(HistoryEvent::getTimerStartedEventAttributes)
                .map(t -> Duration.ofSeconds(
                        t.getStartToFireTimeout().getSeconds(),
                        t.getStartToFireTimeout().getNanos()))
                .toList();
    }

    private int historyLength(SagaStatus finished) {
        return client.fetchHistory(OrderWorkflows.workflowId(finished.orderId()))
                .getEvents()
                .size();
    }

    private List<PendingStep> pendingSteps(OrderWorkflow workflow) {
        return PendingStep.of(client.getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowStub.fromTyped(workflow).getExecution())
                        .build()));
    }

    private static long millis(com.google.protobuf.Duration duration) {
        return duration.getSeconds() * 1000 + duration.getNanos() / 1_000_000;
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

    private static <T> T waitFor(Supplier<T> found) {
        AtomicReference<T> value = new AtomicReference<>();
        waitUntil(() -> {
            value.set(found.get());
            return value.get() != null;
        });
        return value.get();
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
