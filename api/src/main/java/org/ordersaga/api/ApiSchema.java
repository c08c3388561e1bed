package org.ordersaga.api;

import io.micronaut.context.annotation.Context;
import jakarta.inject.Named;
import javax.sql.DataSource;
import org.ordersaga.db.ServiceSchema;

/** Migrates the API's own schema (idempotency keys) when the API starts. */
@Context
final class ApiSchema {
    ApiSchema(@Named("api") DataSource api) {
        ServiceSchema.API.migrate(api, false);
    }
}
