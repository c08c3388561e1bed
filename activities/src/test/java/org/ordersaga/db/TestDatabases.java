package org.ordersaga.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.ordersaga.local.LocalPostgres;

/**
 * Real PostgreSQL for tests: one embedded server per test JVM, on loopback, stopped when the JVM exits; a fresh
 * database per caller with every service schema migrated and the demo data seeded.
 */
public final class TestDatabases implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static LocalPostgres server;

    private final Map<ServiceSchema, HikariDataSource> dataSources = new EnumMap<>(ServiceSchema.class);

    private final String database;

    private TestDatabases(String database) {
        this.database = database;
        for (ServiceSchema service : ServiceSchema.values()) {
            HikariDataSource dataSource = newDataSource(service);
            service.migrate(dataSource, true);
            dataSources.put(service, dataSource);
        }
    }

    /** The JDBC URL of this database (user {@code postgres}, no password), for configuring a process. */
    public String jdbcUrl() {
        return server.jdbcUrl(database);
    }

    /** Another connection pool on a service's schema, as a second process would have; the caller closes it. */
    public HikariDataSource newDataSource(ServiceSchema service) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl(database));
        config.setSchema(service.schema());
        config.setMaximumPoolSize(6);
        config.setPoolName(database + "-" + service.schema());
        return new HikariDataSource(config);
    }

    public static synchronized TestDatabases create() {
        if (server == null) {
            server = start();
        }
        String database = "saga_" + DATABASES.incrementAndGet();
        server.createDatabase(database);
        return new TestDatabases(database);
    }

    private static LocalPostgres start() {
        LocalPostgres started = LocalPostgres.start(0, null);
        Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        return started;
    }

    public DataSource dataSource(ServiceSchema service) {
        return dataSources.get(service);
    }

    /** Runs one statement as the given service, for test setup and sabotage. */
    public void execute(ServiceSchema service, String sql) {
        try (Connection connection = dataSource(service).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    @Override
    public void close() {
        dataSources.values().forEach(HikariDataSource::close);
    }
}
