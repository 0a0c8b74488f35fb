package com.flashsale.shared.db;

import com.flashsale.local.servers.RealServers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For tests only: set up rows and read back what the functions wrote, in plain SQL on a test database
 * of their own (the functions themselves reach the database only through the repositories).
 */
public final class TestSql {

    private TestSql() {
    }

    /** Every row of a query, each as its column values in order. */
    public static List<List<Object>> rows(Connection connection, String select, Object... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            bind(statement, args);
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int c = 1; c <= columns; c++) {
                        row.add(result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** Runs an INSERT, UPDATE or DELETE and returns how many rows it changed. */
    public static int update(Connection connection, String statement, Object... args) throws SQLException {
        try (PreparedStatement prepared = connection.prepareStatement(statement)) {
            bind(prepared, args);
            return prepared.executeUpdate();
        }
    }

    /** A function's datasource on a test database. */
    public static Map<String, String> datasource(RealServers.Database database) {
        Map<String, String> properties = new HashMap<>();
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("datasources.default.username", database.user());
        properties.put("datasources.default.password", database.password());
        return properties;
    }

    /**
     * A setting of the PostgreSQL driver on a connection of the function's pool, read through the
     * driver's {@code PGConnection} getter of that name (the driver is on the functions' run time class
     * path only).
     */
    public static Object driverSetting(ApplicationContext context, String getter) throws Exception {
        DataSource pool = context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
        try (Connection connection = pool.getConnection()) {
            Class<?> pgConnection = Class.forName("org.postgresql.PGConnection");
            return pgConnection.getMethod(getter).invoke(connection.unwrap(pgConnection));
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i] instanceof Instant instant ? Timestamp.from(instant) : args[i]);
        }
    }
}
