package org.ordersaga.db;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Reads a service's tables back for assertions. */
public final class Queries {

    private Queries() {}

    /** The types of the outbox events about one order, in the order they were written. */
    public static List<String> eventTypes(DataSource dataSource, String orderId) {
        return strings(dataSource, "SELECT type FROM outbox WHERE aggregateid = ? ORDER BY seq", orderId);
    }

    /** The values the {@code CHECK} constraint on {@code table.status} allows: the states the table can hold. */
    public static Set<String> allowedStatuses(DataSource dataSource, String table) {
        String check = strings(dataSource, """
                        SELECT pg_get_constraintdef(oid) FROM pg_constraint
                        WHERE conrelid = ?::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'""", table).get(0);
        return Pattern.compile("'(\\w+)'::text")
                .matcher(check)
                .results()
                .map(value -> value.group(1))
                .collect(Collectors.toSet());
    }

    /** The names of an enum's constants. */
    public static Set<String> names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.toSet());
    }

    public static int available(DataSource inventory, String sku) {
        return number(inventory, "SELECT available FROM catalog WHERE sku = ?", sku)
                .intValueExact();
    }

    public static BigDecimal balance(DataSource payment, String customerId) {
        return number(payment, "SELECT balance FROM accounts WHERE customer_id = ?", customerId);
    }

    public static BigDecimal number(DataSource dataSource, String sql) {
        return number(dataSource, sql, null);
    }

    public static BigDecimal number(DataSource dataSource, String sql, String parameter) {
        List<String> values = strings(dataSource, sql, parameter);
        if (values.size() != 1) {
            throw new AssertionError("expected one row for " + parameter + ", got " + values);
        }
        return new BigDecimal(values.get(0));
    }

    public static List<String> strings(DataSource dataSource, String sql) {
        return strings(dataSource, sql, null);
    }

    /** One column of a query's rows; {@code parameter}, if not null, binds its single placeholder. */
    public static List<String> strings(DataSource dataSource, String sql, String parameter) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    values.add(row.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }
}
