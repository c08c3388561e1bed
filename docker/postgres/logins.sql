-- The saga database: one login per service, each owning its own schema and nothing else; the API's login also
-- reads (only reads) the inventory and payment schemas for its operator views. Temporal's login creates its own
-- databases (temporal, temporal_visibility) with temporalio/admin-tools. Run once by init.sh, with the passwords as
-- psql variables.

CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
CREATE ROLE orders LOGIN PASSWORD :'orders_password';
CREATE ROLE inventory LOGIN PASSWORD :'inventory_password';
CREATE ROLE payment LOGIN PASSWORD :'payment_password';
CREATE ROLE shipping LOGIN PASSWORD :'shipping_password';
CREATE ROLE api LOGIN PASSWORD :'api_password';

REVOKE ALL ON DATABASE saga FROM PUBLIC;
GRANT CONNECT ON DATABASE saga TO orders, inventory, payment, shipping, api;

CREATE SCHEMA orders AUTHORIZATION orders;
CREATE SCHEMA inventory AUTHORIZATION inventory;
CREATE SCHEMA payment AUTHORIZATION payment;
CREATE SCHEMA shipping AUTHORIZATION shipping;
CREATE SCHEMA api AUTHORIZATION api;
CREATE SCHEMA order_view AUTHORIZATION api;

GRANT USAGE ON SCHEMA inventory, payment TO api;
ALTER DEFAULT PRIVILEGES FOR ROLE inventory IN SCHEMA inventory GRANT SELECT ON TABLES TO api;
ALTER DEFAULT PRIVILEGES FOR ROLE payment IN SCHEMA payment GRANT SELECT ON TABLES TO api;
