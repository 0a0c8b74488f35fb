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
        try (PreparedStatement statement = bind(connection.prepareStatement(sql), values);
             ResultSet rows = statement.executeQuery()) {
            List<String> column = new ArrayList<>();
            while (rows.next()) {
                column.add(rows.getString(1));
            }
            return column;
        }
    }

    /** The first column of the first row; empty when there is no row or the value is NULL. */
    public static <T> Optional<T> first(Connection connection, Class<T> type, String sql, Object... values)
            throws SQLException {
        try (PreparedStatement statement = bind(connection.prepareStatement(sql), values);
             ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            // the driver converts no int4 column to Long by getObject: numbers go through getLong
            Object value = type == Long.class ? (Object) row.getLong(1) : row.getObject(1, type);
            return row.wasNull() ? Optional.empty() : Optional.of(type.cast(value));
        }
    }

    private static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        return statement;
    }
}
