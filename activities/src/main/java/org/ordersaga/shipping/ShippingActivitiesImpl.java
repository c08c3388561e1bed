package org.ordersaga.shipping;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.ordersaga.activity.StepOutcome;
import org.ordersaga.db.Transactions;
import org.ordersaga.outbox.OutboxWriter;
import org.ordersaga.saga.FailureTypes;
import org.ordersaga.saga.SagaService;
import org.ordersaga.shipping.ShippingEvents.ShipmentCancelled;
import org.ordersaga.shipping.ShippingEvents.ShipmentCreated;
import org.ordersaga.shipping.ShippingEvents.ShipmentRejected;
import org.ordersaga.shipping.ShippingRepository.StoredShipment;

public class ShippingActivitiesImpl implements ShippingActivities {

    /** ISO 3166 reserves {@code XX} for "unknown state"; no carrier delivers there. */
    static final Set<String> UNSERVICEABLE_COUNTRIES = Set.of("XX");

    private final Transactions transactions;
    private final ShippingRepository repository = new ShippingRepository();
    private final OutboxWriter outbox = new OutboxWriter(SagaService.SHIPPING);

    public ShippingActivitiesImpl(DataSource shippingDataSource) {
        this.transactions = new Transactions(shippingDataSource);
    }

    @Override
    public Shipment createShipment(ShipmentRequest request) {
        return transactions
                .inTransaction(connection -> createShipment(connection, request))
                .resultOrThrow();
    }

    private StepOutcome<Shipment> createShipment(Connection connection, ShipmentRequest request) throws SQLException {
        String key = request.idempotencyKey();
        var existing = repository.lockShipment(connection, key);
        if (existing.isPresent()) {
            return repeatedOutcome(key, existing.get());
        }
        String country = request.address().country().trim().toUpperCase(Locale.ROOT);
        if (UNSERVICEABLE_COUNTRIES.contains(country)) {
            String reason = "no carrier serves country " + country;
            repository.insertShipment(connection, request, ShipmentStatus.REJECTED, null, reason);
            outbox.append(connection, new ShipmentRejected(request.orderId(), key, reason));
            return StepOutcome.rejected(FailureTypes.ADDRESS_UNSERVICEABLE, reason);
        }
        String trackingNumber =
                "TRK-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        repository.insertShipment(connection, request, ShipmentStatus.CREATED, trackingNumber, null);
        outbox.append(connection, new ShipmentCreated(request.orderId(), key, trackingNumber, country));
        return StepOutcome.succeeded(new Shipment(key, trackingNumber));
    }

    /** A retry of a create that already committed gets the same answer, and no second effect or event. */
    private static StepOutcome<Shipment> repeatedOutcome(String key, StoredShipment stored) {
        return switch (stored.status()) {
            case CREATED -> StepOutcome.succeeded(new Shipment(key, stored.trackingNumber()));
            case REJECTED -> StepOutcome.rejected(FailureTypes.ADDRESS_UNSERVICEABLE, stored.rejectionReason());
            case CANCELLED, VOIDED ->
                StepOutcome.rejected(FailureTypes.ALREADY_COMPENSATED, "shipment " + key + " was already cancelled");
        };
    }

    @Override
    public void cancelShipment(CancelShipmentRequest request) {
        transactions.inTransaction(connection -> {
            String key = request.shipmentKey();
            if (repository.insertTombstone(connection, key, request.orderId())) {
                return null;
            }
            StoredShipment stored = repository.lockShipment(connection, key).orElseThrow();
            if (stored.status().isWithCarrier()) {
                repository.markCancelled(connection, key);
                outbox.append(connection, new ShipmentCancelled(request.orderId(), key, stored.trackingNumber()));
            }
            return null;
        });
    }
}
