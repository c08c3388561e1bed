package org.ordersaga.db;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** A database failure, classified where it arises by what trying again can do about it. */
public class DataAccessException extends RuntimeException {

    public enum Kind {
        /** The database refused the data (SQLSTATE class 22 or 23): the same statement fails again. */
        DATA,
        /** The database is unreachable, refuses connections or is shutting down: wait for it. */
        UNAVAILABLE,
        /** Anything else (a deadlock, a serialization failure, a statement timeout): worth another try. */
        TRANSIENT
    }

    /**
     * The primary keys that are the services' idempotency keys: two attempts of one step racing to insert the same
     * key is a conflict the next attempt resolves (it finds the row), not bad data.
     */
    private static final Set<String> IDEMPOTENCY_KEYS =
            Set.of("orders_pkey", "reservations_pkey", "charges_pkey", "shipments_pkey");

    private final Kind kind;

    public DataAccessException(SQLException cause) {
        super(cause.getMessage(), cause);
        this.kind = classify(cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The SQLSTATE, if the database gave one. */
    public String sqlState() {
        return ((SQLException) getCause()).getSQLState();
    }

    static Kind classify(SQLException failure) {
        String state = failure.getSQLState() == null ? "" : failure.getSQLState();
        if (state.startsWith("08")
                || state.startsWith("57P0")
                || state.equals("53300")
                || failure instanceof SQLTransientConnectionException
                || failure instanceof SQLNonTransientConnectionException
                || causedByLostConnection(failure)) {
            return Kind.UNAVAILABLE;
        }
        if (state.equals("23505") && IDEMPOTENCY_KEYS.contains(constraint(failure))) {
            return Kind.TRANSIENT;
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            return Kind.DATA;
        }
        return Kind.TRANSIENT;
    }

    private static boolean causedByLostConnection(SQLException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketException || cause instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    private static String constraint(SQLException failure) {
        ServerErrorMessage message = failure instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        return message == null ? null : message.getConstraint();
    }
}
