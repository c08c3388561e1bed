package org.ordersaga.payment;

import java.math.BigDecimal;
import java.util.Optional;
import javax.sql.DataSource;
import org.ordersaga.db.Transactions;

/** What others may read of the payment service's state (the API's operator views), read-only. */
public final class PaymentReadModel {

    private final Transactions transactions;
    private final PaymentRepository repository = new PaymentRepository();

    /** @param payment a (read-only) login on the payment schema */
    public PaymentReadModel(DataSource payment) {
        this.transactions = new Transactions(payment);
    }

    /** A customer's account balance, after every charge and refund; empty when the customer has no account. */
    public Optional<BigDecimal> balance(String customerId) {
        return transactions.inTransaction(connection -> repository.balance(connection, customerId));
    }
}
