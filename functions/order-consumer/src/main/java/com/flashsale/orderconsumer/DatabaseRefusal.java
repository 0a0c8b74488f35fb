package com.flashsale.orderconsumer;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells a record the database refuses (its data) from a database that cannot answer (a transient
 * failure). PostgreSQL refuses data with SQLSTATE class 22 (data exception: a NUL in text, a value
 * out of range) or 23 (integrity constraint violation); retrying such a record fails the same way
 * for ever. The unique violation (23505) is the one expected under concurrency (two invocations
 * placing the same user's order): a retry decides it, so it stays transient.
 */
final class DatabaseRefusal {

    private static final String UNIQUE_VIOLATION = "23505";

    private DatabaseRefusal() {
    }

    /** The SQLSTATE of the data error behind {@code failure}, if it is one. */
    static Optional<String> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                boolean refused = (state.startsWith("22") || state.startsWith("23")) && !UNIQUE_VIOLATION.equals(state);
                return refused ? Optional.of(state) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
