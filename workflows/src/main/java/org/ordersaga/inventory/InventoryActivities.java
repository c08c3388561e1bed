package org.ordersaga.inventory;

import io.temporal.activity.ActivityInterface;

/** The inventory service. Runs on task queue {@code inventory}. */
@ActivityInterface(namePrefix = "Inventory")
public interface InventoryActivities {

    /**
     * Reserves every line or none, priced at the catalog's unit prices. Fails non-retryable with
     * {@code UnknownSku} or {@code OutOfStock}. A repeat with the same key returns the same outcome.
     */
    Reservation reserve(ReserveRequest request);

    /** Returns a reservation's quantities to stock. A no-op when nothing was reserved or it was already released. */
    void release(ReleaseRequest request);
}
