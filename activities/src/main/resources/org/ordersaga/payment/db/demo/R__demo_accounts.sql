-- Demo customers for the local stack and the tests. Existing rows are left alone, so a rerun never resets balances.
INSERT INTO accounts (customer_id, balance) VALUES
    ('cust-ok', 1000000.00),
    ('cust-poor', 1.00)
ON CONFLICT (customer_id) DO NOTHING;
