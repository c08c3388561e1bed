package org.ordersaga.db;

import java.sql.SQLException;

/** A database failure; transient as far as the saga knows, so the activity is retried. */
public class DataAccessException extends RuntimeException {
    public DataAccessException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
