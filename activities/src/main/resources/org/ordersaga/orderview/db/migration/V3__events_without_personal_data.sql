-- OrderPlaced and ShipmentCreated version 2 name the country an order ships to, and no longer the customer's name and
-- address (docs/events.md, "Personal data"). The view now keeps each event as the newest version of its type it
-- reads, so the events kept so far are rewritten as EventUpcaster reads them: no name or address is left here.
UPDATE order_events
SET payload = (payload - 'shippingAddress')
        || jsonb_build_object('shippingCountry', payload -> 'shippingAddress' -> 'country'),
    schema_version = 2
WHERE type = 'OrderPlaced' AND schema_version = 1;

UPDATE order_events
SET payload = (payload - 'address') || jsonb_build_object('shippingCountry', payload -> 'address' -> 'country'),
    schema_version = 2
WHERE type = 'ShipmentCreated' AND schema_version = 1;
