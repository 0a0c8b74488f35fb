package com.flashsale.http;

import io.micronaut.context.BeanProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * Plain JDBC for the few statements the HTTP functions run. The pool (Hikari, at most 2 per
 * container) is opened on first use (functions without a datasource never create this bean); Postgres being down is a 503 UNAVAILABLE.
 */
@jakarta.inject.Singleton
public class Sql {

    private static final Logger LOG = LoggerFactory.getLogger(Sql.class);

    private final BeanProvider<DataSource> dataSource;

    public Sql(BeanProvider<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    public <T> T run(Work<T> work) {
        DataSource source;
        try {
            source = dataSource.get();
        } catch (RuntimeException e) {
            LOG.warn("no datasource: {}", e.toString());
            throw ApiException.unavailable("the database is unavailable; please retry");
        }
        try (Connection connection = source.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            LOG.warn("database call failed: {}", e.toString());
            throw ApiException.unavailable("the database is unavailable; please retry");
        }
    }

    /** The first row of a query with string parameters, mapped. */
    public <T> Optional<T> one(String sql, Row<T> mapper, Object... parameters) {
        return run(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.ofNullable(mapper.map(rows)) : Optional.empty();
                }
            }
        });
    }

    public static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
