package org.ordersaga.inventory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.ordersaga.activity.StepOutcome;
import org.ordersaga.db.Transactions;
import org.ordersaga.inventory.InventoryEvents.InventoryReleased;
import org.ordersaga.inventory.InventoryEvents.InventoryReservationRejected;
import org.ordersaga.inventory.InventoryEvents.InventoryReserved;
import org.ordersaga.inventory.InventoryRepository.Stock;
import org.ordersaga.inventory.InventoryRepository.StoredReservation;
import org.ordersaga.outbox.OutboxWriter;
import org.ordersaga.saga.FailureTypes;
import org.ordersaga.saga.OrderItem;
import org.ordersaga.saga.SagaService;

public class InventoryActivitiesImpl implements InventoryActivities {

    private final Transactions transactions;
    private final InventoryRepository repository = new InventoryRepository();
    private final OutboxWriter outbox = new OutboxWriter(SagaService.INVENTORY);

    public InventoryActivitiesImpl(DataSource inventoryDataSource) {
        this.transactions = new Transactions(inventoryDataSource);
    }

    @Override
    public Reservation reserve(ReserveRequest request) {
        return transactions
                .inTransaction(connection -> reserve(connection, request))
                .resultOrThrow();
    }

    private StepOutcome<Reservation> reserve(Connection connection, ReserveRequest request) throws SQLException {
        String key = request.idempotencyKey();
        var existing = repository.lockReservation(connection, key);
        if (existing.isPresent()) {
            return repeatedOutcome(connection, key, existing.get());
        }
        Map<String, Stock> stock = repository.lockStock(
                connection, request.items().stream().map(OrderItem::sku).toList());
        List<ReservedLine> lines = new ArrayList<>();
        for (OrderItem item : request.items()) {
            Stock line = stock.get(item.sku());
            if (line == null) {
                return reject(connection, request, FailureTypes.UNKNOWN_SKU, "unknown sku " + item.sku());
            }
            if (line.available() < item.quantity()) {
                return reject(
                        connection,
                        request,
                        FailureTypes.OUT_OF_STOCK,
                        "sku " + item.sku() + ": " + item.quantity() + " requested, " + line.available()
                                + " available");
            }
            lines.add(new ReservedLine(item.sku(), item.quantity(), line.unitPrice()));
        }
        repository.adjustStock(connection, lines, -1);
        repository.insertReservation(connection, key, request.orderId(), lines);
        Reservation reservation = new Reservation(key, lines);
        outbox.append(connection, new InventoryReserved(request.orderId(), key, lines, reservation.total()));
        return StepOutcome.succeeded(reservation);
    }

    /** A retry of a reserve that already committed gets the same answer, and no second effect or event. */
    private StepOutcome<Reservation> repeatedOutcome(Connection connection, String key, StoredReservation stored)
            throws SQLException {
        return switch (stored.status()) {
            case ACTIVE -> StepOutcome.succeeded(new Reservation(key, repository.lines(connection, key)));
            case REJECTED -> StepOutcome.rejected(stored.rejectionType(), stored.rejectionReason());
            case RELEASED, VOIDED ->
                StepOutcome.rejected(FailureTypes.ALREADY_COMPENSATED, "reservation " + key + " was already released");
        };
    }

    private StepOutcome<Reservation> reject(Connection connection, ReserveRequest request, String type, String reason)
            throws SQLException {
        repository.insertRejection(connection, request.idempotencyKey(), request.orderId(), type, reason);
        outbox.append(
                connection,
                new InventoryReservationRejected(request.orderId(), request.idempotencyKey(), type, reason));
        return StepOutcome.rejected(type, reason);
    }

    @Override
    public void release(ReleaseRequest request) {
        transactions.inTransaction(connection -> {
            String key = request.reservationKey();
            if (repository.insertTombstone(connection, key, request.orderId())) {
                return null;
            }
            StoredReservation stored =
                    repository.lockReservation(connection, key).orElseThrow();
            if (stored.status().holdsStock()) {
                List<ReservedLine> lines = repository.lines(connection, key);
                repository.lockStock(
                        connection, lines.stream().map(ReservedLine::sku).toList());
                repository.adjustStock(connection, lines, +1);
                repository.markReleased(connection, key);
                outbox.append(connection, new InventoryReleased(request.orderId(), key, lines));
            }
            return null;
        });
    }
}
