package com.flashsale.local.lab.bench;

import com.flashsale.local.servers.RealServers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The few JDBC moves the benchmark makes around the functions. */
final class BenchSql {

    private BenchSql() {
    }

    /** Binds the values to parameters 1..n in order. */
    static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        return statement;
    }

    /** Runs one statement (a query's rows are dropped) on the connection, in its transaction. */
    static void update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = bind(connection.prepareStatement(sql), values)) {
            statement.execute();
        }
    }

    /** The first column of the first row of a query, as a number. */
    static double single(RealServers.Database database, String sql, Object... values) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement query = bind(connection.prepareStatement(sql), values);
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getDouble(1);
        }
    }
}
