package org.ordersaga.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL's own counters of one database ({@code pg_stat_database}) over a window: transactions committed and
 * rows written. PostgreSQL publishes a backend's counts within about a second, so the window's edges blur by that.
 */
final class DatabaseActivity {

    record Window(long commits, long rowsInserted, long rowsUpdated, long rowsDeleted) {

        long rowsWritten() {
            return rowsInserted + rowsUpdated + rowsDeleted;
        }
    }

    private final String jdbcUrl;
    private final Window before;

    private DatabaseActivity(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        this.before = read();
    }

    static DatabaseActivity begin(String jdbcUrl) {
        return new DatabaseActivity(jdbcUrl);
    }

    Window end() {
        Window after = read();
        return new Window(
                after.commits - before.commits,
                after.rowsInserted - before.rowsInserted,
                after.rowsUpdated - before.rowsUpdated,
                after.rowsDeleted - before.rowsDeleted);
    }

    private Window read() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT xact_commit, tup_inserted, tup_updated, tup_deleted"
                        + " FROM pg_stat_database WHERE datname = current_database()")) {
            row.next();
            return new Window(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_database", e);
        }
    }
}
