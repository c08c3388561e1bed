CREATE TABLE catalog (
    sku        text PRIMARY KEY,
    unit_price numeric(14, 2) NOT NULL CHECK (unit_price >= 0),
    available  int            NOT NULL CHECK (available >= 0)
);

-- One row per reserve step (its idempotency key). A release that finds no row leaves a VOIDED tombstone, so a late
-- reserve attempt for the same key can never take effect after its compensation.
CREATE TABLE reservations (
    reservation_key  text PRIMARY KEY,
    order_id         text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('ACTIVE', 'RELEASED', 'REJECTED', 'VOIDED')),
    rejection_type   text,
    rejection_reason text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reservation_lines (
    reservation_key text           NOT NULL REFERENCES reservations,
    sku             text           NOT NULL REFERENCES catalog,
    quantity        int            NOT NULL CHECK (quantity > 0),
    unit_price      numeric(14, 2) NOT NULL,
    PRIMARY KEY (reservation_key, sku)
);
