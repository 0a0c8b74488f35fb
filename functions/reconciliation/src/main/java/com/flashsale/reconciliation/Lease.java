package com.flashsale.reconciliation;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The reconciliation lease: a row in Postgres with a fencing number. Taking it bumps the fence; every
 * write that matters runs in a transaction that first locks the row and checks that the fence is
 * still ours, so a run that lost the lease (paused, then overtaken) can no longer act.
 */
@Singleton
class Lease {

    static final String NAME = "reconciliation";

    private final DataSource dataSource;
    private final Duration ttl;

    Lease(DataSource dataSource, @Value("${flashsale.reconciliation.lease-ttl:5m}") Duration ttl) {
        this.dataSource = dataSource;
        this.ttl = ttl;
    }

    /** The new fence if the lease was free (expired), else empty. */
    OptionalLong acquire(String holder) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement sql = connection.prepareStatement(
                     "UPDATE lease SET fence = fence + 1, holder = ?, expires_at = now() + make_interval(secs => ?) "
                             + "WHERE name = ? AND expires_at < now() RETURNING fence")) {
            connection.setAutoCommit(true);
            sql.setString(1, holder);
            sql.setDouble(2, ttl.toMillis() / 1000.0);
            sql.setString(3, NAME);
            try (ResultSet rows = sql.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Lets the next run start at once: expires the lease, if it is still ours. */
    void release(long fence) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement sql = connection.prepareStatement(
                     "UPDATE lease SET expires_at = now() WHERE name = ? AND fence = ?")) {
            connection.setAutoCommit(true);
            sql.setString(1, NAME);
            sql.setLong(2, fence);
            sql.executeUpdate();
        }
    }

    /** Runs {@code work} in one transaction that holds the lease row and proves the fence is ours. */
    <T> T fenced(long fence, SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                check(connection, fence);
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Outside a transaction: fails fast when the fence moved on (before writes to Redis or Kafka). */
    void verify(long fence) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            check(connection, fence);
        }
    }

    private static void check(Connection connection, long fence) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(
                "SELECT fence FROM lease WHERE name = ? FOR UPDATE")) {
            sql.setString(1, NAME);
            try (ResultSet rows = sql.executeQuery()) {
                long current = rows.next() ? rows.getLong(1) : -1;
                if (current != fence) {
                    throw new LeaseLostException(fence, current);
                }
            }
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
