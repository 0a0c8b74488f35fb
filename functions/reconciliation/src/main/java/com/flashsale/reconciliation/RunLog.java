package com.flashsale.reconciliation;

import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** The reconciliation_run and reconciliation_discrepancy rows, each written under the fence. */
@Singleton
class RunLog {

    private final Lease lease;

    RunLog(Lease lease) {
        this.lease = lease;
    }

    long start(long fence, String holder) throws SQLException {
        return lease.fenced(fence, connection -> {
            try (PreparedStatement sql = connection.prepareStatement(
                    "INSERT INTO reconciliation_run (fence, holder) VALUES (?, ?) RETURNING id")) {
                sql.setLong(1, fence);
                sql.setString(2, holder);
                try (ResultSet rows = sql.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    void record(long fence, long runId, Discrepancy d) throws SQLException {
        lease.fenced(fence, connection -> {
            try (PreparedStatement sql = connection.prepareStatement(
                    "INSERT INTO reconciliation_discrepancy (run_id, product_id, kind, expected, actual, delta, cause, action) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                sql.setLong(1, runId);
                sql.setString(2, d.productId());
                sql.setString(3, d.kind());
                setLong(sql, 4, d.expected());
                setLong(sql, 5, d.actual());
                setLong(sql, 6, d.delta());
                sql.setString(7, d.cause());
                sql.setString(8, d.action());
                return sql.executeUpdate();
            }
        });
    }

    void finish(long fence, long runId, String summaryJson) throws SQLException {
        lease.fenced(fence, connection -> {
            try (PreparedStatement sql = connection.prepareStatement(
                    "UPDATE reconciliation_run SET finished_at = now(), summary = ?::jsonb WHERE id = ?")) {
                sql.setString(1, summaryJson);
                sql.setLong(2, runId);
                return sql.executeUpdate();
            }
        });
    }

    private static void setLong(PreparedStatement sql, int index, Long value) throws SQLException {
        if (value == null) {
            sql.setNull(index, Types.BIGINT);
        } else {
            sql.setLong(index, value);
        }
    }
}
