package com.flashsale.shared.db;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

/** The {@code reconciliation_run} table: one row per run, with its summary once finished. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ReconciliationRunRepository extends GenericRepository<ReconciliationRun, Long> {

    /** A run starting now; its id. */
    @Query("INSERT INTO reconciliation_run (fence, holder) VALUES (:fence, :holder) RETURNING id")
    long start(long fence, String holder);

    @Query("UPDATE reconciliation_run SET finished_at = now(), summary = :summaryJson::jsonb WHERE id = :id")
    int finish(long id, String summaryJson);

    /** The latest run, with how many discrepancies it recorded for one product (admin stats). */
    @Query("SELECT r.id, r.started_at, r.finished_at, r.summary::text AS summary, "
            + "(SELECT count(*) FROM reconciliation_discrepancy d WHERE d.run_id = r.id AND d.product_id = :productId) "
            + "AS discrepancies FROM reconciliation_run r ORDER BY r.started_at DESC, r.id DESC LIMIT 1")
    Optional<LastRun> findLast(String productId);

    /** The latest run as admin stats show it. */
    @Introspected
    record LastRun(long id, Instant startedAt, @Nullable Instant finishedAt, @Nullable String summary,
                   long discrepancies) {
    }
}
