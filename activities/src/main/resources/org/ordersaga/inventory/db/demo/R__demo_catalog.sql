-- Demo catalog for the local stack and the tests. Existing rows are left alone, so a rerun never resets stock.
INSERT INTO catalog (sku, unit_price, available) VALUES
    ('sku-100', 10.00, 1000),
    ('sku-200', 250.00, 5),
    ('sku-out', 5.00, 0)
ON CONFLICT (sku) DO NOTHING;
