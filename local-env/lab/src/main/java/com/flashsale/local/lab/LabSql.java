package com.flashsale.local.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab's one way to run SQL. The lab reads Postgres on its own, not through the functions'
 * repositories: the audit is the oracle of the product's data access, and an oracle that read
 * through the code it checks would share that code's mistakes.
 */
public final class LabSql {

    private LabSql() {
    }

    /** Runs one statement (a query's rows are dropped), in the connection's transaction. */
    public static void update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = bind(connection.prepareStatement(sql), values)) {
            statement.execute();
        }
    }

    /** The first column of every row, as text. */
    public static List<String> strings(Connection connection, String sql, Object... values) throws SQLException {
        return rows(connection, sql, row -> row.getString(1), values);
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Every row, each read by the reader. */
    public static <T> List<T> rows(Connection connection, String sql, RowReader<T> reader, Object... values)
            throws SQLException {
        try (PreparedStatement statement = bind(connection.prepareStatement(sql), values);
             ResultSet rows = statement.executeQuery()) {
            List<T> read = new ArrayList<>();
            while (rows.next()) {
                read.add(reader.read(rows));
            }
            return read;
        }
    }

    /** The first column of the first row; empty when there is no row or the value is NULL. */
    public static <T> Optional<T> first(Connection connection, Class<T> type, String sql, Object... values)
            throws SQLException {
        try (PreparedStatement statement = bind(connection.prepareStatement(sql), values);
             ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.ofNullable(row.getObject(1)).map(value -> as(type, value)) : Optional.empty();
        }
    }

    /** A column as the type asked for: counts and sums come as int, bigint or numeric. */
    private static <T> T as(Class<T> type, Object value) {
        if (value instanceof Number number && type == Long.class) {
            return type.cast(number.longValue());
        }
        if (value instanceof Number number && type == Double.class) {
            return type.cast(number.doubleValue());
        }
        return type.cast(value);
    }

    private static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        return statement;
    }
}
