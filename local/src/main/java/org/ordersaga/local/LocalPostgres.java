package org.ordersaga.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server from the embedded binaries, listening on 127.0.0.1 only; user {@code postgres} without
 * a password. Its data directory is fresh on every start, unless it is {@link #startKeepingData kept}.
 */
public final class LocalPostgres implements AutoCloseable {

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts a server on {@code port} (0: any free port) with its data in {@code dataDirectory} (null: a temporary
     * one).
     */
    public static LocalPostgres start(int port, Path dataDirectory) {
        return start(port, dataDirectory, true);
    }

    /**
     * Starts a server on {@code port} whose data in {@code dataDirectory} outlives it: stopped and started again the
     * same way, it has the same data (an empty directory is initialised first).
     */
    public static LocalPostgres startKeepingData(int port, Path dataDirectory) {
        return start(port, dataDirectory, false);
    }

    private static LocalPostgres start(int port, Path dataDirectory, boolean fresh) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                // Stopped by its owner, after the processes that use it, not by a JVM hook racing them.
                .setRegisterShutdownHook(false);
        if (port != 0) {
            builder.setPort(port);
        }
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(fresh);
        }
        try {
            return new LocalPostgres(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The URL of {@code database}, as user {@code postgres}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres";
    }

    /** The postmaster's process id, from its {@code postmaster.pid}: its backends are its children. */
    public long pid() {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet directory = statement.executeQuery("SHOW data_directory")) {
            directory.next();
            return Long.parseLong(Files.readAllLines(Path.of(directory.getString(1), "postmaster.pid"))
                    .get(0)
                    .trim());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot find PostgreSQL's data directory", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PostgreSQL's postmaster.pid", e);
        }
    }

    public void createDatabase(String database) {
        execute("CREATE DATABASE " + database);
    }

    /** Runs {@code sql} as user {@code postgres} in database {@code postgres}. */
    void execute(String sql) {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    /** Stops the server (zonky stops it with pg_ctl against its own data directory, not by name). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
        }
    }
}
