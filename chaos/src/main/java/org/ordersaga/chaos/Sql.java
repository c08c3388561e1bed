package org.ordersaga.chaos;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads a service's schema as an auditor does: straight from PostgreSQL, one connection per question. */
final class Sql {

    /** One column of a result row. */
    interface Column<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final String jdbcUrl;

    Sql(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    <T> List<T> query(String schema, String sql, Column<T> column) {
        try (Connection connection = connect(schema);
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet row = statement.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (row.next()) {
                values.add(column.read(row));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(schema + ": " + sql, e);
        }
    }

    /** Rows of a key (the first column, text) and {@code value}, by key in key order. */
    <V> Map<String, V> byKey(String schema, String sql, Column<V> value) {
        Map<String, V> values = new TreeMap<>();
        query(schema, sql, row -> Map.entry(row.getString(1), value.read(row)))
                .forEach(entry -> values.put(entry.getKey(), entry.getValue()));
        return values;
    }

    long count(String schema, String sql) {
        return query(schema, sql, row -> row.getLong(1)).get(0);
    }

    BigDecimal number(String schema, String sql) {
        return query(schema, sql, row -> row.getBigDecimal(1)).get(0);
    }

    Set<String> strings(String schema, String sql) {
        return new HashSet<>(query(schema, sql, row -> row.getString(1)));
    }

    void execute(String schema, String sql) {
        try (Connection connection = connect(schema);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(schema + ": " + sql, e);
        }
    }

    Connection connect(String schema) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl);
        connection.setSchema(schema);
        return connection;
    }
}
