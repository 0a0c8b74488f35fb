package com.flashsale.shared.db;

import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC in one line: bind positional arguments, run, read every row as a list of column values. */
public final class Jdbc {

    private Jdbc() {
    }

    public static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }

    /**
     * A statement that PostgreSQL plans for its actual parameters on every execution. The tables of
     * a sale grow from nothing to millions of rows: pgjdbc server-prepares a statement after five
     * uses, and the generic plan PostgreSQL then keeps, made while the tables were small (a scan of
     * the whole table), would serve every later call.
     */
    public static PreparedStatement planEachCall(Connection connection, String statement) throws SQLException {
        PreparedStatement prepared = connection.prepareStatement(statement);
        prepared.unwrap(PGStatement.class).setPrepareThreshold(0);
        return prepared;
    }

    /** Every row of a query (or of a statement with RETURNING), each as its column values in order. */
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
}
