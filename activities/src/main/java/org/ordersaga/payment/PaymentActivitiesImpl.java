package org.ordersaga.payment;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.ordersaga.activity.StepOutcome;
import org.ordersaga.db.Transactions;
import org.ordersaga.outbox.OutboxWriter;
import org.ordersaga.payment.PaymentEvents.PaymentCharged;
import org.ordersaga.payment.PaymentEvents.PaymentDeclined;
import org.ordersaga.payment.PaymentEvents.PaymentRefunded;
import org.ordersaga.payment.PaymentRepository.StoredCharge;
import org.ordersaga.saga.FailureTypes;
import org.ordersaga.saga.SagaService;

public class PaymentActivitiesImpl implements PaymentActivities {

    private final Transactions transactions;
    private final PaymentRepository repository = new PaymentRepository();
    private final OutboxWriter outbox = new OutboxWriter(SagaService.PAYMENT);

    public PaymentActivitiesImpl(DataSource paymentDataSource) {
        this.transactions = new Transactions(paymentDataSource);
    }

    @Override
    public Charge charge(ChargeRequest request) {
        return transactions
                .inTransaction(connection -> charge(connection, request))
                .resultOrThrow();
    }

    private StepOutcome<Charge> charge(Connection connection, ChargeRequest request) throws SQLException {
        String key = request.idempotencyKey();
        var existing = repository.lockCharge(connection, key);
        if (existing.isPresent()) {
            return repeatedOutcome(key, existing.get());
        }
        if (repository.debitIfCovered(connection, request.customerId(), request.amount())) {
            repository.insertCharge(connection, request, ChargeStatus.CHARGED, null);
            outbox.append(
                    connection,
                    new PaymentCharged(
                            request.orderId(), key, request.customerId(), Money.inCatalogCurrency(request.amount())));
            return StepOutcome.succeeded(new Charge(key, request.amount()));
        }
        String reason = repository.accountExists(connection, request.customerId())
                ? "insufficient funds for " + request.amount().toPlainString()
                : "no account for customer " + request.customerId();
        repository.insertCharge(connection, request, ChargeStatus.DECLINED, reason);
        outbox.append(
                connection,
                new PaymentDeclined(request.orderId(), key, request.customerId(), request.amount(), reason));
        return StepOutcome.rejected(FailureTypes.PAYMENT_DECLINED, reason);
    }

    /** A retry of a charge that already committed gets the same answer, and no second effect or event. */
    private static StepOutcome<Charge> repeatedOutcome(String key, StoredCharge stored) {
        return switch (stored.status()) {
            case CHARGED -> StepOutcome.succeeded(new Charge(key, stored.amount()));
            case DECLINED -> StepOutcome.rejected(FailureTypes.PAYMENT_DECLINED, stored.declineReason());
            case REFUNDED, VOIDED ->
                StepOutcome.rejected(FailureTypes.ALREADY_COMPENSATED, "charge " + key + " was already refunded");
        };
    }

    @Override
    public void refund(RefundRequest request) {
        transactions.inTransaction(connection -> {
            String key = request.chargeKey();
            if (repository.insertTombstone(connection, key, request.orderId())) {
                return null;
            }
            StoredCharge stored = repository.lockCharge(connection, key).orElseThrow();
            if (stored.status().tookMoney()) {
                repository.credit(connection, stored.customerId(), stored.amount());
                repository.markRefunded(connection, key);
                outbox.append(
                        connection,
                        new PaymentRefunded(
                                request.orderId(), key, stored.customerId(), Money.inCatalogCurrency(stored.amount())));
            }
            return null;
        });
    }
}
