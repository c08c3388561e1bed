package org.ordersaga.shipping;

import io.temporal.activity.ActivityInterface;

/** The shipping service. Runs on task queue {@code shipping}. */
@ActivityInterface(namePrefix = "Shipping")
public interface ShippingActivities {

    /**
     * Books a shipment. Fails non-retryable with {@code AddressUnserviceable} for a country it does not serve.
     * A repeat with the same key returns the same outcome.
     */
    Shipment createShipment(ShipmentRequest request);

    /** Cancels the shipment. A no-op when none was created or it was already cancelled. */
    void cancelShipment(CancelShipmentRequest request);
}
