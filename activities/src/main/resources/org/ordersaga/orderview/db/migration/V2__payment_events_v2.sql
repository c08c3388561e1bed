-- PaymentCharged and PaymentRefunded version 2 carry money with its currency.
--
-- Events are kept as they were published, with their type's schema version, and upcast to the newest version when
-- the projection reads them (EventUpcaster). Every event stored before this column was of version 1.
ALTER TABLE order_events ADD COLUMN schema_version int NOT NULL DEFAULT 1;
ALTER TABLE order_events ALTER COLUMN schema_version DROP DEFAULT;

-- What the customer has paid and not had back: the charge less its refund, null until charged.
ALTER TABLE order_view ADD COLUMN paid numeric(14, 2), ADD COLUMN paid_currency text;

-- The orders seen so far, from their version 1 events, whose bare amounts were in the catalog's currency (euros).
UPDATE order_view v SET paid = p.paid, paid_currency = 'EUR'
FROM (SELECT order_id,
             sum(CASE type WHEN 'PaymentCharged' THEN 1 ELSE -1 END * (payload ->> 'amount')::numeric) AS paid
      FROM order_events WHERE type IN ('PaymentCharged', 'PaymentRefunded') GROUP BY order_id) p
WHERE v.order_id = p.order_id;
