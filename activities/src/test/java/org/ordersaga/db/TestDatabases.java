package org.ordersaga.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Real PostgreSQL for tests: one embedded server per test JVM, on loopback, stopped when the JVM exits; a fresh
 * database per caller with every service schema migrated and the demo data seeded.
 */
public final class TestDatabases implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

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
        return server.getJdbcUrl("postgres", database);
    }

    /** Another connection pool on a service's schema, as a second process would have; the caller closes it. */
    public HikariDataSource newDataSource(ServiceSchema service) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.getJdbcUrl("postgres", database));
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
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
        return new TestDatabases(database);
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres started = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; nothing left to report to
                }
            }));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
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
